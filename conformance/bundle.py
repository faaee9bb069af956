"""Where the specs and worlds shipped with vicicert live."""

from __future__ import annotations

from pathlib import Path

SPECS_DIR = Path(__file__).resolve().parent.parent / "specs"
EMBEDDED_WORLD = SPECS_DIR / "worlds" / "embedded.yaml"
