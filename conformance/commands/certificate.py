"""``vicicert verify ARCHIVE`` and ``vicicert keygen KEYFILE``: a certificate checked, and the key pair
that signs one (``vicicert check --certificate DIR --sign-key KEYFILE``).

verify exits 0 when the archive is intact, its verdicts agree with its report and, with
``--public-key``, its signature is valid; 1 when any of that fails (an unsigned archive, given a
public key, fails too); 2 on bad usage. Without ``--public-key`` it says whether the archive is
signed, and by which key, but proves only integrity.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError

EXIT_VERIFIED, EXIT_NOT_VERIFIED = 0, 1


def add_command(commands) -> None:
    """The two commands' parsers, under ``vicicert``'s subcommands."""
    verify = commands.add_parser("verify", help="check a certification archive: manifest, verdicts against the "
                                                "report, and its signature")
    verify.add_argument("archive", type=Path, metavar="ARCHIVE", help="the vicicert-certificate.tar.gz a run wrote")
    verify.add_argument("--public-key", type=Path, metavar="FILE",
                        help="the signer's public key (KEYFILE.pub from vicicert keygen): the archive must carry a "
                             "valid signature (ARCHIVE.sig) made with it")
    verify.set_defaults(run=run_verify)
    keygen = commands.add_parser("keygen", help="make an ed25519 key pair for signing certificates")
    keygen.add_argument("key", type=Path, metavar="KEYFILE",
                        help="where the private key goes (mode 0600); the public key goes to KEYFILE.pub")
    keygen.set_defaults(run=run_keygen)


def run_verify(args: argparse.Namespace) -> int:
    from ..certificate.verification import verify_certificate

    if not args.archive.is_file():
        raise UsageError(f"{args.archive}: no such file; give the vicicert-certificate.tar.gz a run wrote")
    found = verify_certificate(args.archive, args.public_key)
    for problem in found.problems:
        print(f"NOT VERIFIED: {problem}")
    if not found.verified:
        return EXIT_NOT_VERIFIED
    print(f"{args.archive}: every file matches manifest.sha256; verdicts.json agrees with report.json")
    print(f"{args.archive}: {found.signature}" if found.signature else
          f"{args.archive}: unsigned: this proves integrity, not who made it (vicicert check --sign-key signs)")
    return EXIT_VERIFIED


def run_keygen(args: argparse.Namespace) -> int:
    from ..certificate.signature import key_id, load_public_key, make_key_pair

    private, public = make_key_pair(args.key)
    print(f"vicicert keygen: private key {private} (keep it secret; it signs certificates), public key {public} "
          f"(give it to whoever verifies), key id {key_id(load_public_key(public))}")
    return EXIT_VERIFIED
