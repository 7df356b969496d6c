"""A database key as words a person can copy from paper and type back.

If the keystore is lost (a new laptop, a reinstalled system, a forgotten passphrase),
the recovery sheet is the only way into the data. The 32-byte key plus a 3-byte
check (the start of its SHA-256) is written in base32 (RFC 4648: the letters A-Z
and the digits 2-7, so no 0/O or 1/I to confuse) as 14 groups of 4 characters.
Typing it back ignores case, spaces and dashes, reads 0 as O, 1 as I and 8 as B,
and the check catches a typing error before the key is tried on the database.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
from pathlib import Path

from wijkkit.errors import KitError, Message, RecoveryWordsError
from wijkkit.i18n import N_

KEY_BYTES = 32
CHECK_BYTES = 3
GROUP = 4
MISTYPED = str.maketrans({"0": "O", "1": "I", "8": "B"})


def to_words(key: bytes) -> list[str]:
    """The key as 14 groups of 4 characters."""
    if len(key) != KEY_BYTES:
        raise ValueError("a database key has 32 bytes")
    text = base64.b32encode(key + hashlib.sha256(key).digest()[:CHECK_BYTES]).decode("ascii")
    return [text[i : i + GROUP] for i in range(0, len(text), GROUP)]


def from_words(text: str) -> bytes:
    """The key typed back from a sheet. :raises RecoveryWordsError: with the reason."""
    letters = "".join(ch for ch in text.upper() if ch.isalnum()).translate(MISTYPED)
    expected = len("".join(to_words(bytes(KEY_BYTES))))
    if len(letters) != expected:
        raise RecoveryWordsError(reason=Message(N_("there should be {expected} letters and digits, not {found}."),
                                                expected=expected, found=len(letters)))  # fmt: skip
    try:
        raw = base64.b32decode(letters)
    except (binascii.Error, ValueError) as exc:
        raise RecoveryWordsError(
            reason=Message(N_("only the letters A-Z and the digits 2-7 occur on the sheet."))
        ) from exc
    key, check = raw[:KEY_BYTES], raw[KEY_BYTES:]
    if hashlib.sha256(key).digest()[:CHECK_BYTES] != check:
        raise RecoveryWordsError(
            reason=Message(N_("a character was mistyped (the check at the end does not match)."))
        )
    return key


def restore(database: Path, typed: str) -> None:
    """Keep the key typed from a sheet as ``database``'s key on this computer, once it opens the file.

    Shared by ``wijkkit key restore`` and the app's question when a key is missing.
    :raises KitError: not an encrypted file, mistyped words, or the sheet of another database.
    """
    from wijkkit import cipher, keystore

    salt = keystore.salt_of(database)
    if salt is None:
        raise KitError(
            N_("{path} is not an encrypted database: it needs no key."), path=str(database)
        )
    found = keystore.DatabaseKey(from_words(typed), salt)
    with contextlib.closing(cipher.connect(database, found)) as conn:
        if not cipher.readable(conn):
            raise KitError(N_("The words of this recovery sheet do not open {path}: the sheet belongs to "
                              "another database. Nothing was changed."), path=str(database))  # fmt: skip
    keystore.keep(database, found)
