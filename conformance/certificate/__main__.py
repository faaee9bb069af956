"""``python -m conformance.certificate verify ARCHIVE``: what ``vicicert verify ARCHIVE`` checks without a
public key: every SHA-256 against the manifest, and verdicts.json against report.json.

Exit 0 when both hold, 1 when a file is altered, missing or unlisted or a verdict disagrees, 2 on bad usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .verification import verify_certificate


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "verify":
        print("usage: python -m conformance.certificate verify ARCHIVE", file=sys.stderr)
        return 2
    archive = Path(args[1])
    if not archive.is_file():
        print(f"{archive}: no such file; give the vicicert-certificate.tar.gz a run wrote", file=sys.stderr)
        return 2
    problems = verify_certificate(archive).problems
    for problem in problems:
        print(f"NOT VERIFIED: {problem}")
    if not problems:
        print(f"{archive}: every file matches manifest.sha256")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
