"""Who made a certificate: a detached ed25519 signature over the archive's bytes, with a key the vendor
holds (``cryptography``'s Ed25519). The manifest proves the files agree with each other; only a
signature proves who wrote them, since anyone can edit a file and hash the manifest anew.

Keys are PEM files (the private key PKCS#8, unencrypted, written mode 0600; the public key
SubjectPublicKeyInfo). The signature sits beside the archive as ``ARCHIVE.sig``:

    vicicert: signature/1
    key: <the public key's id: the first 16 hex digits of the SHA-256 of its raw 32 bytes>
    signature: <base64 of the 64-byte ed25519 signature of the archive file's bytes>
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..errors import UsageError

HEADER = "vicicert: signature/1"


def signature_path(archive: Path) -> Path:
    return Path(f"{archive}.sig")


def make_key_pair(private: Path) -> tuple[Path, Path]:
    """A new key pair: ``private`` (mode 0600) and ``private.pub``; neither may exist yet."""
    public = Path(f"{private}.pub")
    for path in (private, public):
        if path.exists():
            raise UsageError(f"{path} already exists: a key is never overwritten; give another path")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    try:
        private.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
        public.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                         serialization.PublicFormat.SubjectPublicKeyInfo))
    except OSError as error:
        raise UsageError(f"{private}: cannot write the key there ({error.strerror or error}); give a writable "
                         "path") from None
    return private, public


def load_private_key(path: Path) -> Ed25519PrivateKey:
    key = _load(path, "private", lambda data: serialization.load_pem_private_key(data, password=None))
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError(f"{path} is not an ed25519 private key: make one with vicicert keygen")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    key = _load(path, "public", serialization.load_pem_public_key)
    if not isinstance(key, Ed25519PublicKey):
        raise UsageError(f"{path} is not an ed25519 public key: give the .pub file vicicert keygen wrote")
    return key


def _load(path: Path, which: str, parse):
    try:
        return parse(Path(path).read_bytes())
    except OSError as error:
        raise UsageError(f"{path}: cannot read the {which} key ({error.strerror or error})") from None
    except (ValueError, TypeError):
        raise UsageError(f"{path} is not a PEM {which} key (an encrypted key is not supported either): make one "
                         "with vicicert keygen") from None


def key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign_archive(archive: Path, key: Ed25519PrivateKey) -> Path:
    """Write ``ARCHIVE.sig`` for the archive's bytes as they are now; returns its path."""
    signed = key.sign(Path(archive).read_bytes())
    path = signature_path(archive)
    path.write_text(f"{HEADER}\nkey: {key_id(key.public_key())}\n"
                    f"signature: {base64.b64encode(signed).decode()}\n", encoding="utf-8")
    return path


def check_signature(archive: Path, key: Ed25519PublicKey | None) -> tuple[str | None, list[str]]:
    """(what the signature says, problems): ``None, []`` for an unsigned archive; with no key, the
    signer's key id is named but nothing is proven."""
    path = signature_path(archive)
    if not path.is_file():
        return None, []
    fields = {}
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    if not lines or lines[0].strip() != HEADER:
        return None, [f"{path}: not a vicicert signature (its first line must be {HEADER!r})"]
    for line in lines[1:]:
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    try:
        signed = base64.b64decode(fields.get("signature", ""), validate=True)
    except ValueError:
        return None, [f"{path}: its signature line is not base64"]
    signer = fields.get("key", "?")
    if key is None:
        return f"signed with key {signer} (not checked: give --public-key to check it)", []
    if key_id(key) != signer:
        return None, [f"{path}: signed with key {signer}, not with the given public key {key_id(key)}"]
    try:
        key.verify(signed, Path(archive).read_bytes())
    except InvalidSignature:
        return None, [f"{path}: the signature does not match the archive (altered since it was signed)"]
    return f"signature valid: signed with key {signer}", []
