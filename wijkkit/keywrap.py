"""A database key wrapped with a passphrase, in a small file beside the database.

Portable mode (Wijkkit on a USB stick) and ``--passphrase`` cannot rely on this
computer's keystore: the key must travel with the stick. It does so wrapped: the
passphrase is stretched with Argon2id (libsodium through PyNaCl, limits stored in
the file so they can be raised later) and the 32-byte key sealed with that with
XSalsa20-Poly1305 (``nacl.secret.SecretBox``). Without the passphrase the file is
useless; a wrong passphrase fails the seal's check and is told apart from a
damaged file only as far as that allows.

The file ``<salt>.wrapped-key`` in the database's folder is JSON (named after the database's
salt, not its file name: a database made under a temporary name and renamed, or renamed
later, still finds it; copy it along when the database moves)::

    {"format": "wijkkit-wrapped-key", "version": 1, "database": "<32 hex: the file's salt>",
     "kdf": "argon2id", "opslimit": 3, "memlimit": 268435456,
     "kdf_salt": "<base64, 16 bytes>", "sealed": "<base64: nonce + ciphertext + tag>"}
"""

from __future__ import annotations

import base64
from pathlib import Path

from wijkkit.atomic import write_atomically

SUFFIX = ".wrapped-key"
FORMAT = "wijkkit-wrapped-key"
# libsodium's "moderate" limits: about a second and 256 MiB on a laptop, once per start.
OPSLIMIT = 3
MEMLIMIT = 256 * 1024 * 1024


class Unwrapped(Exception):
    """The passphrase does not open the file (or the file is damaged)."""


def wrapped_path(database: Path, file_salt: bytes) -> Path:
    return database.parent / f"{file_salt.hex()}{SUFFIX}"


def _stretch(passphrase: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    from nacl import pwhash, secret

    return pwhash.argon2id.kdf(secret.SecretBox.KEY_SIZE, passphrase.encode("utf-8"), salt,
                               opslimit=opslimit, memlimit=memlimit)  # fmt: skip


def wrap(database: Path, key: bytes, file_salt: bytes, passphrase: str) -> Path:
    """Write the wrapped key beside ``database`` (whole or not at all, mode 0600)."""
    import json  # here, not at import: opening a database whose key is not wrapped needs no JSON

    from nacl import pwhash, secret, utils

    kdf_salt = utils.random(pwhash.argon2id.SALTBYTES)
    sealed = secret.SecretBox(_stretch(passphrase, kdf_salt, OPSLIMIT, MEMLIMIT)).encrypt(key)
    record = {"format": FORMAT, "version": 1, "database": file_salt.hex(), "kdf": "argon2id",
              "opslimit": OPSLIMIT, "memlimit": MEMLIMIT, "kdf_salt": base64.b64encode(kdf_salt).decode("ascii"),
              "sealed": base64.b64encode(bytes(sealed)).decode("ascii")}  # fmt: skip
    return write_atomically(
        wrapped_path(database, file_salt), json.dumps(record, indent=1).encode("utf-8"), private=True
    )


def unwrap(database: Path, file_salt: bytes, passphrase: str) -> bytes:
    """The key in the file beside ``database``; :raises Unwrapped: wrong passphrase or damaged file."""
    import json

    from nacl import exceptions, secret

    try:
        record = json.loads(wrapped_path(database, file_salt).read_text(encoding="utf-8"))
        if record.get("format") != FORMAT or record.get("database") != file_salt.hex():
            raise ValueError("not the wrapped key of this database")
        salt = base64.b64decode(record["kdf_salt"], validate=True)
        opslimit, memlimit = int(record["opslimit"]), int(record["memlimit"])
        if record.get("kdf") != "argon2id" or not (
            1 <= opslimit <= 20 and 8192 <= memlimit <= 4 * 1024**3
        ):
            raise ValueError("unknown key derivation")
        box = secret.SecretBox(_stretch(passphrase, salt, opslimit, memlimit))
        key = box.decrypt(base64.b64decode(record["sealed"], validate=True))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, exceptions.CryptoError) as exc:
        raise Unwrapped() from exc
    if len(key) != 32:
        raise Unwrapped()
    return key
