"""Where database keys live: the OS keystore when there is one, else a 0600 key file in the
configuration folder (never beside the database) with a warning; recovery words and sheet;
``wijkkit key restore`` and ``key sheet``."""

from __future__ import annotations

import io
import os
import stat
import sys

import pytest

from tests.core.pdf_text import text_of, words
from wijkkit import keystore, paths, recovery
from wijkkit.cli import main
from wijkkit.errors import KitError, MissingKeyError, RecoveryWordsError
from wijkkit.handouts import pdf_bytes
from wijkkit.handouts.recovery import WARNING
from wijkkit.i18n import gettext
from wijkkit.kit import Kit


@pytest.fixture
def own_config(tmp_path, monkeypatch):
    folder = tmp_path / "config"
    monkeypatch.setenv("WIJKKIT_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture
def no_keystore(monkeypatch):
    """As on a headless Linux: keyring has no backend (and the file is not chosen on purpose)."""
    monkeypatch.delenv("WIJKKIT_KEYSTORE")
    monkeypatch.setattr(keystore, "_backend", lambda: None)


def test_without_a_keystore_the_key_goes_to_a_file_in_the_config_folder_with_a_warning(tmp_path, own_config,
                                                                                      no_keystore):  # fmt: skip
    path = tmp_path / "data" / "wijkkit.sqlite"
    with Kit.open(path):
        pass
    salt = keystore.salt_of(path)
    key_file = own_config / "keys" / f"{salt.hex()}.key"
    assert key_file.is_file() and len(key_file.read_text(encoding="ascii").strip()) == 64
    assert sorted(p.name for p in path.parent.iterdir()) == ["wijkkit.sqlite"]  # nothing beside it
    [notice] = keystore.take_notices()
    assert str(key_file) in str(notice) and "encrypted" in str(notice)
    assert keystore.take_notices() == []  # told once
    keystore.forget(salt)
    with Kit.open(path):
        assert keystore.take_notices() == []  # and not again when the key is found


def test_a_key_file_chosen_on_purpose_needs_no_warning(tmp_path):
    with Kit.open(tmp_path / "wijkkit.sqlite"):
        pass
    assert keystore.take_notices() == []


@pytest.mark.only_on("posix", reason="checks the permission bits 0600/0700; Windows keeps the key file private by the "
                     "profile's ACL (and the OS keystore), not by mode")  # fmt: skip
def test_the_key_file_is_0600_and_its_folders_0700(tmp_path, own_config):
    with Kit.open(tmp_path / "wijkkit.sqlite"):
        pass
    [key_file] = (own_config / "keys").iterdir()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE((own_config / "keys").stat().st_mode) == 0o700
    assert stat.S_IMODE(own_config.stat().st_mode) == 0o700


class FakeKeyring:
    priority = 5

    def __init__(self, broken: bool = False) -> None:
        self.stored: dict[tuple[str, str], str] = {}
        self.broken = broken

    def get_password(self, service, user):
        if self.broken:
            raise RuntimeError("the keystore is locked")
        return self.stored.get((service, user))

    def set_password(self, service, user, value):
        if self.broken:
            raise RuntimeError("the keystore is locked")
        self.stored[(service, user)] = value


def test_with_a_keystore_the_key_goes_there_and_no_file_is_written(tmp_path, own_config, monkeypatch):
    backend = FakeKeyring()
    monkeypatch.setattr(keystore, "_backend", lambda: backend)
    path = tmp_path / "wijkkit.sqlite"
    with Kit.open(path):
        pass
    salt = keystore.salt_of(path)
    assert list(backend.stored) == [("wijkkit", salt.hex())]
    assert not own_config.exists() and keystore.take_notices() == []
    keystore.forget(salt)
    with Kit.open(path):  # found again in the keystore
        pass


def test_a_keystore_that_fails_counts_as_none(tmp_path, own_config, monkeypatch):
    monkeypatch.delenv("WIJKKIT_KEYSTORE")
    monkeypatch.setattr(keystore, "_backend", lambda: FakeKeyring(broken=True))
    with Kit.open(tmp_path / "wijkkit.sqlite"):
        pass
    assert len(list((own_config / "keys").iterdir())) == 1
    assert keystore.take_notices()


def test_the_fail_backend_of_a_headless_linux_is_no_keystore(monkeypatch):
    import keyring
    from keyring.backends import fail

    monkeypatch.delenv("WIJKKIT_KEYSTORE")
    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    assert keystore._backend() is None


def test_the_config_folder_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("WIJKKIT_CONFIG_DIR", str(tmp_path / "elsewhere"))
    assert paths.config_dir() == tmp_path / "elsewhere"


# -- recovery words and sheet ------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_recovery_words_round_trip_also_when_typed_sloppily(seed):
    key = bytes((seed * 37 + i * 11) % 256 for i in range(32))
    groups = recovery.to_words(key)
    assert len(groups) == 14 and all(len(g) == 4 for g in groups)
    assert recovery.from_words(" ".join(groups)) == key
    sloppy = "-".join(groups).lower().replace("o", "0").replace("i", "1")
    assert recovery.from_words(sloppy) == key


@pytest.mark.parametrize("change", [lambda t: t[:-4], lambda t: t[:10] + ("A" if t[10] != "A" else "B") + t[11:],
                                    lambda t: t.replace(t[0], "9", 1)])  # fmt: skip
def test_mistyped_recovery_words_are_refused_with_a_reason(change):
    text = "".join(recovery.to_words(bytes(range(32))))
    with pytest.raises(RecoveryWordsError):
        recovery.from_words(change(text))


def test_the_recovery_sheet_renders_the_words_and_the_warning(tmp_path):
    with Kit.open(tmp_path / "wijkkit.sqlite") as kit:
        made = keystore.find(kit.path, keystore.salt_of(kit.path))
        text = words(text_of(pdf_bytes("recovery", kit)))
    assert words(gettext(WARNING)) in text
    assert " ".join(recovery.to_words(made.key)[:7]) in text


def test_an_in_memory_database_has_no_recovery_sheet(kit):
    with pytest.raises(KitError):
        pdf_bytes("recovery", kit)


def test_key_restore_brings_a_lost_key_back_from_the_words(tmp_path, own_config, monkeypatch, capsys):
    path = tmp_path / "wijkkit.sqlite"
    with Kit.open(path) as kit:
        kit.people.add("Anneke Visser")
    sheet = tmp_path / "herstelblad.pdf"
    assert main(["key", "sheet", "--db", str(path), "--out", str(sheet)]) == 0
    if os.name != "nt":
        assert stat.S_IMODE(sheet.stat().st_mode) == 0o600
    salt = keystore.salt_of(path)
    typed = " ".join(recovery.to_words(keystore.find(path, salt).key))
    for key_file in (own_config / "keys").iterdir():
        key_file.unlink()
    keystore.forget(salt)
    with pytest.raises(MissingKeyError):
        Kit.open(path)
    monkeypatch.setattr(sys, "stdin", io.StringIO("wrong words\n"))
    assert main(["key", "restore", "--db", str(path)]) == 2
    assert "not the words of a recovery sheet" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed + "\n"))
    assert main(["key", "restore", "--db", str(path)]) == 0
    keystore.forget(salt)
    with Kit.open(path) as kit:
        assert [p.name for p in kit.people.list()] == ["Anneke Visser"]


def test_words_of_another_database_are_refused(tmp_path, monkeypatch, capsys):
    first, second = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    for path in (first, second):
        with Kit.open(path):
            pass
    other = " ".join(recovery.to_words(keystore.find(second, keystore.salt_of(second)).key))
    monkeypatch.setattr(sys, "stdin", io.StringIO(other))
    assert main(["key", "restore", "--db", str(first)]) == 2
    assert "belongs to another database" in capsys.readouterr().err


def test_export_json_works_on_an_encrypted_database(tmp_path, capsys):
    path = tmp_path / "wijkkit.sqlite"
    with Kit.open(path) as kit:
        kit.people.add("Anneke Visser")
    out = tmp_path / "backup.json"
    assert main(["export", "--db", str(path), "--json", str(out)]) == 0
    assert "Anneke Visser" in out.read_text(encoding="utf-8")


def test_the_cli_asks_for_no_passphrase_without_a_terminal(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["--passphrase", "demo", "--db", str(tmp_path / "demo.sqlite")]) == 2
    assert "WIJKKIT_PASSPHRASE" in capsys.readouterr().err
    assert not (tmp_path / "demo.sqlite").exists()
