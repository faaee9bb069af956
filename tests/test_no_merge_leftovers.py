"""No file of the project keeps a merge's conflict markers (a README once did, under its table)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^(<{7} |={7}$|>{7} )", re.MULTILINE)
KINDS = ("*.py", "*.md", "*.yaml", "*.yml", "*.j2", "*.toml", "*.txt", "*.cfg")


def project_files():
    for kind in KINDS:
        for path in ROOT.rglob(kind):
            if not {".venv", "build", ".git", "reports", ".pytest_cache"} & set(path.relative_to(ROOT).parts):
                yield path


def test_no_file_keeps_conflict_markers():
    found = [f"{path.relative_to(ROOT)}:{text[:match.start()].count(chr(10)) + 1}"
             for path in project_files() for text in [path.read_text(encoding="utf-8", errors="replace")]
             for match in MARKER.finditer(text)]
    assert found == [], "merge conflict markers left in: " + ", ".join(found)


def test_a_leftover_marker_is_found(tmp_path):
    text = "| all | 41 |\n=======\n| all | 35 |\n>>>>>>> lead22a\n"
    assert [m.group(0) for m in MARKER.finditer(text)] == ["=======", ">>>>>>> "]
