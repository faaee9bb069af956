"""Where the specs and worlds shipped with vicicert live: the ``conformance.specs`` package
data (``specs/`` in a checkout), found with ``importlib.resources`` so an installed wheel works."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SPECS_DIR = Path(str(files("conformance.specs")))
EMBEDDED_WORLD = SPECS_DIR / "worlds" / "embedded.yaml"
