"""A reproducible tar.gz with a SHA-256 manifest, and its verification.

Same files in, same bytes out: entries sorted by name, every mtime 0, owner 0/0 with no
names, mode 0644, gzip header without name or time. ``manifest.sha256`` lists every other
file in ``sha256sum`` format, so ``sha256sum -c`` also checks an unpacked copy.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from pathlib import Path

MANIFEST = "manifest.sha256"
TOP = "vicicert-certificate"     # the archive's one top folder


def manifest_text(files: dict[str, bytes]) -> str:
    return "".join(f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n" for name in sorted(files))


def write_archive(files: dict[str, bytes], path: Path) -> Path:
    """``files`` (archive-relative name -> bytes) plus their manifest, as a reproducible tar.gz at ``path``."""
    files = {**files, MANIFEST: manifest_text(files).encode()}
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(files):
            info = tarfile.TarInfo(f"{TOP}/{name}")
            info.size, info.mtime, info.mode = len(files[name]), 0, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(files[name]))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as packed:
        packed.write(buffer.getvalue())
    return path


def read_archive(path: Path) -> dict[str, bytes]:
    """Every file of a certificate archive, by its name inside the top folder."""
    files = {}
    with tarfile.open(path, "r:gz") as tar:
        for member in tar.getmembers():
            if member.isfile():
                name = member.name.removeprefix(f"{TOP}/")
                files[name] = tar.extractfile(member).read()
    return files


def verify(path: Path) -> list[str]:
    """What is wrong with the archive at ``path``: each altered, missing or unlisted file (empty: intact)."""
    try:
        files = read_archive(path)
    except (OSError, tarfile.TarError, EOFError) as error:
        return [f"{path}: not a readable certificate archive ({error})"]
    if MANIFEST not in files:
        return [f"{path}: no {MANIFEST} in the archive"]
    listed: dict[str, str] = {}
    for number, line in enumerate(files.pop(MANIFEST).decode("utf-8", "replace").splitlines(), 1):
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name:
            return [f"{MANIFEST}:{number}: not a '<sha256>  <name>' line"]
        listed[name] = digest
    problems = [f"{name}: listed in {MANIFEST} but missing" for name in sorted(set(listed) - set(files))]
    problems += [f"{name}: in the archive but not in {MANIFEST}" for name in sorted(set(files) - set(listed))]
    problems += [f"{name}: SHA-256 differs from {MANIFEST} (altered)" for name in sorted(set(files) & set(listed))
                 if hashlib.sha256(files[name]).hexdigest() != listed[name]]
    return problems
