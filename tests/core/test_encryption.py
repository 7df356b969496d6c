"""The database encrypted at rest: no name and no private key among a laptop's bytes, a wrong or
missing key refused with the file untouched, and a plain file from an earlier version encrypted
in place without losing anything, also when that stops half-way."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.portable import KILLED
from wijkkit import cipher, keystore, keywrap, store
from wijkkit.errors import (
    MissingKeyError,
    NotADatabaseError,
    PassphraseRequiredError,
    WrongKeyError,
    WrongPassphraseError,
)
from wijkkit.kit import Kit
from wijkkit.sync import keys

NAME = "Henk Oosterhuis"
PRIVATE_MODES = pytest.mark.only_on(
    "posix", reason="checks the permission bits 0600/0700; Windows keeps files private by the profile's ACL, not by mode"
)


def every_byte(folder: Path) -> bytes:
    """The database, its -wal/-shm and any backup, as one byte string."""
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file())


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def laptop(tmp_path) -> Path:
    path = tmp_path / "laptop" / "wijkkit.sqlite"
    with Kit.open(path) as kit:
        kit.people.add(NAME)
    return path


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch):
    """Passphrase tests do not need a second of Argon2id each."""
    monkeypatch.setattr(keywrap, "OPSLIMIT", 1)
    monkeypatch.setattr(keywrap, "MEMLIMIT", 8192 * 1024)


def test_a_laptop_database_holds_no_readable_name_and_no_private_key(tmp_path):
    folder = tmp_path / "laptop"
    path = folder / "wijkkit.sqlite"
    with Kit.open(path) as kit:
        kit.people.add(NAME, notes="Henk Oosterhuis woont op de Dorpsstraat")
        keys.ensure_keys(kit)
        seed = base64.b64decode(kit._meta("sync_sign_key"))
        age = kit._meta("sync_age_identity")
        while_open = every_byte(folder)  # the WAL holds the latest writes while the Kit is open
    secrets = [NAME.encode(), NAME.encode("utf-16-le"), seed, seed.hex().encode(), base64.b64encode(seed),
               age.encode(), age.encode().lower()]  # fmt: skip
    for found in (while_open, every_byte(folder)):
        assert not [s for s in secrets if s in found]
    assert path.read_bytes()[:16] != b"SQLite format 3\x00"
    with Kit.open(path) as kit:  # and it opens again with the same key
        assert [p.name for p in kit.people.list()] == [NAME]


def test_upgrade_backups_hold_no_readable_name(tmp_path, monkeypatch):
    kept: list[Path] = []
    monkeypatch.setattr(store, "drop_backup", kept.append)
    path = tmp_path / "wijkkit.sqlite"
    shutil.copy(Path(__file__).parent.parent / "data" / "schema-1.sqlite", path)
    assert b"Oosterhuis" in path.read_bytes()
    with Kit.open(path):
        pass
    assert kept and all(b"Oosterhuis" not in p.read_bytes() for p in kept)
    assert b"Oosterhuis" not in every_byte(tmp_path)


def test_a_missing_key_is_refused_and_the_file_is_untouched(laptop, key_folder):
    salt = keystore.salt_of(laptop)
    before = digest(laptop)
    keystore.key_file(salt.hex()).unlink()
    keystore.forget(salt)
    with pytest.raises(MissingKeyError) as caught:
        Kit.open(laptop)
    assert str(laptop) in caught.value.english() and "wijkkit key restore" in caught.value.english()
    assert digest(laptop) == before
    assert sorted(p.name for p in laptop.parent.iterdir()) == ["wijkkit.sqlite"]


def test_a_wrong_key_is_refused_and_the_file_is_untouched(laptop):
    salt = keystore.salt_of(laptop)
    before = digest(laptop)
    keystore.forget(salt)
    keystore.key_file(salt.hex()).write_text("00" * 32, encoding="ascii")
    with pytest.raises(WrongKeyError):
        Kit.open(laptop)
    assert digest(laptop) == before


def test_a_passphrase_database_needs_its_passphrase(tmp_path, monkeypatch):
    path = tmp_path / "stick" / "wijkkit.sqlite"
    monkeypatch.setenv("WIJKKIT_PASSPHRASE", "paarse olifant op de brug")
    keystore.configure(wrap_new=True)
    with Kit.open(path) as kit:
        kit.people.add(NAME)
    wrapped = keywrap.wrapped_path(path, keystore.salt_of(path))
    assert wrapped.is_file() and b"paarse" not in wrapped.read_bytes()
    assert not list(Path(os.environ["WIJKKIT_CONFIG_DIR"]).glob(f"keys/{keystore.salt_of(path).hex()}.key"))
    keystore.configure(wrap_new=False)
    keystore.forget(keystore.salt_of(path))
    before = digest(path)
    monkeypatch.setenv("WIJKKIT_PASSPHRASE", "groene olifant")
    with pytest.raises(WrongPassphraseError) as caught:
        Kit.open(path)
    assert "not right" in caught.value.english()
    monkeypatch.delenv("WIJKKIT_PASSPHRASE")
    with pytest.raises(PassphraseRequiredError):
        Kit.open(path)
    assert digest(path) == before
    monkeypatch.setenv("WIJKKIT_PASSPHRASE", "paarse olifant op de brug")
    with Kit.open(path) as kit:
        assert [p.name for p in kit.people.list()] == [NAME]


def test_a_passphrase_database_made_under_another_name_still_opens(tmp_path, monkeypatch):
    """demo.create writes '<name>.making' and renames it: the wrapped key goes by salt, not by name."""
    monkeypatch.setenv("WIJKKIT_PASSPHRASE", "paarse olifant op de brug")
    keystore.configure(wrap_new=True)
    with Kit.open(tmp_path / "dorp.sqlite.making") as kit:
        kit.people.add(NAME)
    (tmp_path / "dorp.sqlite.making").rename(tmp_path / "dorp.sqlite")
    keystore.configure(wrap_new=False)
    keystore.forget(keystore.salt_of(tmp_path / "dorp.sqlite"))
    with Kit.open(tmp_path / "dorp.sqlite") as kit:
        assert [p.name for p in kit.people.list()] == [NAME]


def test_no_passphrase_for_a_new_database_makes_no_file(tmp_path):
    keystore.configure(wrap_new=True)
    with pytest.raises(PassphraseRequiredError):
        Kit.open(tmp_path / "new.sqlite")
    assert list(tmp_path.iterdir()) == []


# -- a plain file of an earlier version -------------------------------------------------


@pytest.fixture
def plain(tmp_path) -> Path:
    """A current-schema database as an earlier (unencrypted) Wijkkit wrote it, in WAL mode."""
    path = tmp_path / "wijkkit.sqlite"
    with Kit.open(path) as kit:
        kit.people.add(NAME)
    with contextlib.closing(store.raw_connection(path)) as conn:
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", [str(tmp_path / "plain.sqlite")])
        conn.execute("SELECT sqlcipher_export('plain')")
        conn.execute(f"PRAGMA plain.user_version = {conn.execute('PRAGMA user_version').fetchone()[0]}")
        conn.execute("DETACH DATABASE plain")
    path.unlink()
    os.replace(tmp_path / "plain.sqlite", path)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
    assert path.read_bytes().startswith(b"SQLite format 3\x00") and NAME.encode() in path.read_bytes()
    return path


def plain_dump(path: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())


def test_a_plain_database_is_encrypted_in_place_on_first_open(plain):
    with Kit.open(plain) as kit:
        assert [p.name for p in kit.people.list()] == [NAME]
    assert keystore.salt_of(plain) is not None
    assert NAME.encode() not in every_byte(plain.parent)
    assert sorted(p.name for p in plain.parent.iterdir()) == ["wijkkit.sqlite"]
    with Kit.open(plain) as kit:
        assert [p.name for p in kit.people.list()] == [NAME]


@pytest.mark.parametrize("step", ["_verify", "replace"])
def test_encryption_stopped_half_way_leaves_the_plain_file_intact(plain, monkeypatch, step):
    def stop(*args, **kwargs):
        raise KeyboardInterrupt("the laptop was switched off")

    before = plain_dump(plain)
    with monkeypatch.context() as patch:
        patch.setattr(cipher.os if step == "replace" else cipher, step, stop)
        with pytest.raises(KeyboardInterrupt):
            Kit.open(plain)
    # its WAL was checkpointed into it: other bytes, the same content, still plain
    assert plain.read_bytes().startswith(b"SQLite format 3\x00")
    assert plain_dump(plain) == before
    assert sorted(p.name for p in plain.parent.iterdir()) == ["wijkkit.sqlite"]
    with Kit.open(plain) as kit:  # and the next open finishes the job
        assert [p.name for p in kit.people.list()] == [NAME]
    assert NAME.encode() not in every_byte(plain.parent)


def test_a_copy_left_by_a_killed_run_is_removed(plain):
    leftover = plain.with_name(plain.name + cipher.ENCRYPTING)
    leftover.write_bytes(b"half an encrypted file")
    with Kit.open(plain) as kit:
        assert [p.name for p in kit.people.list()] == [NAME]
    assert not leftover.exists()


def test_another_programs_plain_file_is_not_encrypted(tmp_path):
    path = tmp_path / "places.sqlite"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.commit()
    before = digest(path)
    with pytest.raises(NotADatabaseError):
        Kit.open(path)
    assert digest(path) == before


# -- modes ------------------------------------------------------------------------------


@PRIVATE_MODES
def test_the_database_its_wal_and_its_folder_are_for_this_user_only(tmp_path):
    path = tmp_path / "new" / "wijkkit.sqlite"
    with Kit.open(path) as kit:
        kit.people.add(NAME)
        made = [p for p in path.parent.iterdir()]
        assert {p.name for p in made} >= {"wijkkit.sqlite", "wijkkit.sqlite-wal", "wijkkit.sqlite-shm"}
        assert {stat.S_IMODE(p.stat().st_mode) for p in made} == {0o600}
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


@PRIVATE_MODES
def test_the_bundle_payload_is_decrypted_into_a_private_file():
    from wijkkit.sync.spool import Plain

    handle, plain = Plain.create()
    os.close(handle)
    try:
        assert stat.S_IMODE(plain.path.stat().st_mode) == 0o600
    finally:
        plain.close()
    assert not plain.path.exists()


def test_plain_backups_of_an_earlier_version_go_once_the_file_is_encrypted(plain):
    old = plain.with_name(plain.name + ".before-schema-1.bak")
    shutil.copy(plain, old)
    with Kit.open(plain):
        pass
    assert not old.exists()
    assert NAME.encode() not in every_byte(plain.parent)


@pytest.mark.parametrize("step", ["_verify", "replace"])
def test_encryption_killed_half_way_loses_nothing(plain, step):
    """Killed hard (SIGKILL; TerminateProcess on Windows), not an exception: no cleanup runs, and
    the next open still finds everything."""
    import subprocess
    import sys
    import textwrap

    before = plain_dump(plain)
    target = "cipher.os" if step == "replace" else "cipher"
    code = textwrap.dedent(f"""
        import os, sys
        from tests.portable import HARD_KILL
        from wijkkit import cipher
        from wijkkit.kit import Kit
        setattr({target}, {step!r}, lambda *args, **kwargs: os.kill(os.getpid(), HARD_KILL))
        Kit.open(sys.argv[1])
    """)
    root = Path(__file__).resolve().parent.parent.parent
    killed = subprocess.run([sys.executable, "-c", code, str(plain)], cwd=root, capture_output=True)
    assert killed.returncode == KILLED, killed.stderr.decode()
    assert plain_dump(plain) == before  # the plain file is whole
    with Kit.open(plain) as kit:  # the key made by the killed run was kept first; a new one is fine too
        assert [p.name for p in kit.people.list()] == [NAME]
    assert sorted(p.name for p in plain.parent.iterdir()) == ["wijkkit.sqlite"]
    assert NAME.encode() not in every_byte(plain.parent)
