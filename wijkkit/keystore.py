"""Where a database's key is kept, found the same way by the app, every ``--db`` command and the tests.

Every database has its own random 32-byte SQLCipher key. A database is known by its
SQLCipher salt: the 16 random bytes at the start of an encrypted file. We choose the
salt ourselves when a file is made (the raw key ``x'<key><salt>'``), so it is known
before the first byte is written, it stays the same when the file is moved, renamed or
copied to a stick, and a pre-upgrade backup made with the same key and salt is found too.

The key is kept, in this order of preference:

- wrapped with a passphrase in ``<salt>.wrapped-key`` beside the file (portable mode,
  ``--passphrase``; see keywrap.py): it travels with the stick, useless without the passphrase;
- in the operating system's keystore through ``keyring`` (service "wijkkit", user = salt); on
  Windows and macOS a start reads it there without importing keyring (oskeys.py);
- where there is none (a headless Linux, CI), in a 0600 file ``keys/<salt>.key`` in the
  user's configuration folder, never beside the database; the caller is then told once
  (``take_notices``) that the disk should be encrypted. ``$WIJKKIT_KEYSTORE=file`` chooses
  the file on purpose (tests, the smoke test, an administrator's choice), without the warning.

Front ends say how to ask for a passphrase with ``configure``; by default it comes from
``$WIJKKIT_PASSPHRASE`` or not at all. Keys found are remembered for this process, so
printing the recovery sheet or opening the file again asks nothing. Not thread-safe:
databases are opened on the main thread.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from wijkkit import keywrap, oskeys, paths
from wijkkit.atomic import write_atomically
from wijkkit.errors import Message, MissingKeyError, PassphraseRequiredError, WrongPassphraseError
from wijkkit.i18n import N_

SERVICE = "wijkkit"
KEY_BYTES = 32
SALT_BYTES = 16
PLAIN_HEADER = b"SQLite format 3\x00"
# (database, is it a new passphrase?) -> the passphrase, or None when none is given
Prompt = Callable[[Path, bool], "str | None"]

KEY_FILE_NOTICE = N_(
    "This computer has no keystore, so the database's key is kept in the file {key_file}, readable only by "
    "you. Anyone who can read your disk can read the data: make sure the disk is encrypted "
    "(BitLocker, FileVault or LUKS), and print the recovery sheet."
)


class DatabaseKey(NamedTuple):  # not a dataclass: that module would cost every start a few milliseconds
    key: bytes
    salt: bytes

    @property
    def ident(self) -> str:
        return self.salt.hex()

    def pragma_value(self) -> str:
        """The value for ``PRAGMA key = ...``: a raw key with its salt, so no key derivation runs."""
        return f"\"x'{self.key.hex()}{self.salt.hex()}'\""


def _from_env(database: Path, new: bool) -> str | None:
    return os.environ.get("WIJKKIT_PASSPHRASE") or None


_prompt: Prompt = _from_env
_wrap_new = False
_known: dict[str, bytes] = {}
_notices: list[Message] = []


def configure(prompt: Prompt | None = None, wrap_new: bool | None = None) -> None:
    """How to ask for a passphrase, and whether new keys are wrapped with one (``--passphrase``)."""
    global _prompt, _wrap_new
    if prompt is not None:
        _prompt = prompt
    if wrap_new is not None:
        _wrap_new = wrap_new


def take_notices() -> list[Message]:
    """What the user should be told once (a key kept in a file); emptied by the call."""
    taken = list(_notices)
    _notices.clear()
    return taken


def forget(salt: bytes | None = None) -> None:
    """Drop the key of one database (or all) remembered in this process."""
    if salt is None:
        _known.clear()
    else:
        _known.pop(salt.hex(), None)


def salt_of(database: Path) -> bytes | None:
    """The salt of an encrypted file; None for a missing, empty or plain SQLite file."""
    try:
        with database.open("rb") as handle:
            head = handle.read(SALT_BYTES)
    except FileNotFoundError:
        return None
    return None if len(head) < SALT_BYTES or head == PLAIN_HEADER else head


def wants_passphrase(database: Path) -> bool:
    """New keys for this database are wrapped: ``--passphrase``, or it lives in portable mode."""
    portable = paths.portable_dir()
    return _wrap_new or (portable is not None and database.resolve().parent == portable.resolve())


def find(database: Path, salt: bytes) -> DatabaseKey:
    """The key of the encrypted file ``database`` whose salt is ``salt``.

    :raises MissingKeyError, PassphraseRequiredError, WrongPassphraseError: nothing is changed.
    """
    ident = salt.hex()
    if ident in _known:
        return DatabaseKey(_known[ident], salt)
    key = None
    if keywrap.wrapped_path(database, salt).is_file():
        key = _unwrap(database, salt)
    key = key or _read_key_file(ident) or _from_keyring(ident)
    if key is None:
        raise MissingKeyError(path=str(database))
    _known[ident] = key
    return DatabaseKey(key, salt)


def create(database: Path) -> DatabaseKey:
    """A new random key (and salt) for a file about to be made, kept before it is used."""
    import secrets  # only for a new key: opening a file needs neither it nor the hashlib it loads

    made = DatabaseKey(secrets.token_bytes(KEY_BYTES), secrets.token_bytes(SALT_BYTES))
    keep(database, made)
    return made


def keep(database: Path, made: DatabaseKey) -> None:
    """Keep ``made`` as this database's key: wrapped beside it, in the keystore, or in a key file."""
    if wants_passphrase(database):
        passphrase = _ask(database, new=True)
        keywrap.wrap(database, made.key, made.salt, passphrase)
    elif not _to_keyring(made):
        key_file = _write_key_file(made)
        if not _file_chosen():  # chosen on purpose ($WIJKKIT_KEYSTORE=file): no need to say so
            _notices.append(Message(KEY_FILE_NOTICE, key_file=str(key_file)))
    _known[made.ident] = made.key


def _ask(database: Path, new: bool) -> str:
    passphrase = _prompt(database, new)
    if not passphrase:
        raise PassphraseRequiredError(path=str(database))
    return passphrase


def _unwrap(database: Path, salt: bytes) -> bytes:
    try:
        return keywrap.unwrap(database, salt, _ask(database, new=False))
    except keywrap.Unwrapped as exc:
        raise WrongPassphraseError(path=str(database)) from exc


# -- the key file -------------------------------------------------------------


def key_file(ident: str) -> Path:
    return paths.config_dir() / "keys" / f"{ident}.key"


def _read_key_file(ident: str) -> bytes | None:
    try:
        key = bytes.fromhex(key_file(ident).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
    return key if len(key) == KEY_BYTES else None


def _write_key_file(made: DatabaseKey) -> Path:
    target = key_file(made.ident)
    paths.private_folder(target.parent.parent)
    paths.private_folder(target.parent)
    return write_atomically(target, (made.key.hex() + "\n").encode("ascii"), private=True)


# -- the OS keystore ------------------------------------------------------------


def _file_chosen() -> bool:
    return os.environ.get("WIJKKIT_KEYSTORE", "").lower() == "file"


def _backend():
    """keyring's backend, or None when there is no usable one (any error counts as none)."""
    if _file_chosen():
        return None
    try:
        import keyring  # only here: it costs a few tenths of a second to import
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or float(getattr(backend, "priority", 0)) <= 0:
            return None
        return backend
    except Exception:  # noqa: BLE001 - a broken keystore is no keystore
        return None


def _from_keyring(ident: str) -> bytes | None:
    if not _file_chosen():
        # Windows and macOS: one system call, without importing keyring (oskeys.py says why)
        answer = oskeys.read(SERVICE, ident)
        if answer == oskeys.REFUSED:
            return None
        if oskeys.is_secret(answer) and (key := _as_key(answer)) is not None:
            return key
    backend = _backend()
    if backend is None:
        return None
    try:
        return _as_key(backend.get_password(SERVICE, ident))
    except Exception:  # noqa: BLE001
        return None


def _as_key(stored: str | None) -> bytes | None:
    try:
        key = bytes.fromhex(stored) if stored else None
    except ValueError:
        return None
    return key if key and len(key) == KEY_BYTES else None


def _to_keyring(made: DatabaseKey) -> bool:
    backend = _backend()
    if backend is None:
        return False
    try:
        backend.set_password(SERVICE, made.ident, made.key.hex())
        return _from_keyring(made.ident) == made.key
    except Exception:  # noqa: BLE001
        return False
