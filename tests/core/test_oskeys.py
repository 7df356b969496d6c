"""The start's own read of the OS keystore (oskeys.py) finds exactly what keyring finds, and the
keystore falls back to keyring whenever that read cannot answer, so no key is ever lost to it."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkkit import keystore, oskeys
from wijkkit.kit import Kit


class CredError(Exception):
    """pywin32's error as keyring reads it: the Windows error code and the function."""

    def __init__(self, winerror: int, funcname: str) -> None:
        super().__init__(winerror, funcname, "")
        self.winerror, self.funcname = winerror, funcname


class CredentialManager:
    """Windows Credential Manager as pywin32-ctypes shows it: generic credentials by target name,
    the secret written from a str as UTF-16-LE and read back as bytes."""

    CRED_TYPE_GENERIC = 1
    CRED_PERSIST_ENTERPRISE = 3

    def __init__(self) -> None:
        self.targets: dict[str, dict] = {}
        self.denied: set[str] = set()

    def CredRead(self, Type, TargetName):  # noqa: N802, N803 - pywin32's names
        assert Type == self.CRED_TYPE_GENERIC
        if TargetName in self.denied:
            raise CredError(5, "CredRead")  # ERROR_ACCESS_DENIED
        if TargetName not in self.targets:
            raise CredError(1168, "CredRead")  # ERROR_NOT_FOUND
        return dict(self.targets[TargetName])

    def CredWrite(self, credential, flags):  # noqa: N802
        blob = credential["CredentialBlob"]
        self.targets[credential["TargetName"]] = {**credential, "CredentialBlob": blob.encode("utf-16-le")}

    def CredDelete(self, Type, TargetName):  # noqa: N802, N803
        if self.targets.pop(TargetName, None) is None:
            raise CredError(1168, "CredDelete")


@pytest.fixture
def vault(monkeypatch):
    """keyring's own Windows backend, writing into a CredentialManager, and the same store for oskeys."""
    from keyring.backends import Windows

    manager = CredentialManager()
    monkeypatch.setattr(Windows, "win32cred", manager, raising=False)
    monkeypatch.setattr(Windows, "pywintypes", type("pywintypes", (), {"error": CredError}), raising=False)
    return Windows.WinVaultKeyring(), manager


def reader(manager: CredentialManager):
    """What oskeys' CredReadW gives, read from the stand-in: (user name, secret) or None."""

    def credential(target: str):
        try:
            item = manager.CredRead(Type=manager.CRED_TYPE_GENERIC, TargetName=target)
        except CredError as exc:
            if exc.winerror == 1168:
                return None
            raise OSError(exc.winerror, "CredReadW failed") from exc
        return item["UserName"], item["CredentialBlob"]

    return credential


def ours(manager: CredentialManager, account: str) -> str:
    return oskeys._read_windows(keystore.SERVICE, account, reader(manager))


def test_each_database_key_keyring_wrote_on_windows_is_read_back_without_keyring(vault):
    backend, manager = vault
    keys = {secrets.token_hex(16): secrets.token_hex(32) for _ in range(3)}
    for account, key in keys.items():
        backend.set_password(keystore.SERVICE, account, key)
    # keyring moved the first two to "<account>@wijkkit" when the next one came
    assert len(manager.targets) == 3 and keystore.SERVICE in manager.targets
    for account, key in keys.items():
        assert ours(manager, account) == key == backend.get_password(keystore.SERVICE, account)
    assert ours(manager, secrets.token_hex(16)) == oskeys.ABSENT


def test_on_windows_any_failure_but_not_found_leaves_the_key_to_keyring(vault, monkeypatch):
    """Credential Manager asks the person nothing, so keyring may as well try again."""
    backend, manager = vault
    backend.set_password(keystore.SERVICE, "a" * 32, "b" * 64)
    monkeypatch.setattr(oskeys, "sys", type("sys", (), {"platform": "win32"}))
    monkeypatch.setattr(oskeys, "_credential_reader", lambda: reader(manager))
    assert oskeys.read(keystore.SERVICE, "a" * 32) == "b" * 64
    assert oskeys.read(keystore.SERVICE, "c" * 32) == oskeys.ABSENT
    manager.denied.add(keystore.SERVICE)
    assert oskeys.read(keystore.SERVICE, "a" * 32) == oskeys.UNAVAILABLE


def test_the_credential_is_laid_out_as_windows_lays_out_credentialw():
    """CREDENTIALW on 64-bit Windows: 80 bytes, the secret's pointer at 40, the user name at 72."""
    import ctypes

    credential = oskeys._credential_type()
    offsets = {name: getattr(credential, name).offset for name, *_ in credential._fields_}
    assert ctypes.sizeof(credential) == 80
    assert offsets == {"Flags": 0, "Type": 4, "TargetName": 8, "Comment": 16, "LastWritten": 24,
                       "CredentialBlobSize": 32, "CredentialBlob": 40, "Persist": 48, "AttributeCount": 52,
                       "Attributes": 56, "TargetAlias": 64, "UserName": 72}  # fmt: skip


def test_a_secret_that_is_no_utf16_is_left_to_keyring(vault):
    backend, manager = vault
    manager.targets[keystore.SERVICE] = {"UserName": "a" * 32, "CredentialBlob": b"abc"}  # odd length
    assert ours(manager, "a" * 32) == oskeys.UNAVAILABLE


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["set", "delete"]), st.integers(0, 4), st.integers(0, 9)), max_size=14))
def test_whatever_keyring_did_oskeys_reads_what_keyring_reads(steps):
    """Any history of keys stored, replaced and deleted through keyring's Windows backend."""
    from keyring.backends import Windows
    from keyring.errors import PasswordDeleteError

    manager = CredentialManager()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Windows, "win32cred", manager, raising=False)
        patch.setattr(Windows, "pywintypes", type("pywintypes", (), {"error": CredError}), raising=False)
        backend = Windows.WinVaultKeyring()
        accounts = [f"{n:032x}" for n in range(5)]
        for action, who, value in steps:
            if action == "set":
                backend.set_password(keystore.SERVICE, accounts[who], f"{value:064x}")
            else:
                try:
                    backend.delete_password(keystore.SERVICE, accounts[who])
                except PasswordDeleteError:
                    pass
        for account in accounts:
            theirs = backend.get_password(keystore.SERVICE, account)
            assert ours(manager, account) == (theirs if theirs is not None else oskeys.ABSENT)


# -- how the keystore uses it -------------------------------------------------------------------


class Keyring:
    priority = 5

    def __init__(self) -> None:
        self.stored: dict[tuple[str, str], str] = {}
        self.asked = 0

    def get_password(self, service, user):
        self.asked += 1
        return self.stored.get((service, user))

    def set_password(self, service, user, value):
        self.stored[(service, user)] = value


@pytest.fixture
def os_keystore(tmp_path, monkeypatch):
    """A database whose key is in the (fake) OS keystore, forgotten by this process."""
    monkeypatch.setenv("WIJKKIT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("WIJKKIT_KEYSTORE")
    backend = Keyring()
    monkeypatch.setattr(keystore, "_backend", lambda: backend)
    monkeypatch.setattr(oskeys, "read", lambda service, account: oskeys.UNAVAILABLE)
    path = tmp_path / "wijkkit.sqlite"
    with Kit.open(path):
        pass
    salt = keystore.salt_of(path)
    keystore.forget(salt)
    backend.asked = 0
    return path, salt, backend


@pytest.mark.parametrize("answer", [oskeys.ABSENT, oskeys.UNAVAILABLE, "not hex", "ab" * 31])
def test_keyring_is_asked_when_the_own_read_cannot_answer(os_keystore, monkeypatch, answer):
    path, salt, backend = os_keystore
    monkeypatch.setattr(oskeys, "read", lambda service, account: answer)
    with Kit.open(path):
        pass
    assert backend.asked == 1


def test_a_key_read_directly_needs_no_keyring(os_keystore, monkeypatch):
    path, salt, backend = os_keystore
    stored = backend.stored[(keystore.SERVICE, salt.hex())]
    monkeypatch.setattr(oskeys, "read", lambda service, account: stored if account == salt.hex() else oskeys.ABSENT)
    with Kit.open(path):
        pass
    assert backend.asked == 0


def test_a_refusal_is_not_asked_again_through_keyring(os_keystore, monkeypatch):
    """Access denied (or a locked Keychain the person would not open): asking keyring would put the
    same question to the system, and the person, a second time."""
    path, salt, backend = os_keystore
    monkeypatch.setattr(oskeys, "read", lambda service, account: oskeys.REFUSED)
    assert keystore._from_keyring(salt.hex()) is None
    assert backend.asked == 0


def test_a_key_file_chosen_on_purpose_asks_no_os_keystore(tmp_path, monkeypatch):
    monkeypatch.setattr(oskeys, "read", lambda service, account: pytest.fail("the OS keystore was asked"))
    with Kit.open(tmp_path / "wijkkit.sqlite"):
        pass
    keystore.forget()
    with Kit.open(tmp_path / "wijkkit.sqlite"):
        pass


@pytest.mark.only_on("linux", reason="on Windows and macOS the read asks the real keystore: see the round trip below")
def test_elsewhere_the_own_read_does_nothing_and_imports_nothing():
    """On Linux keyring keeps its way (Secret Service); the read costs nothing."""
    code = ("import sys; from wijkkit import oskeys; before = set(sys.modules); "
            "print(oskeys.read('wijkkit', 'x'), sorted(set(sys.modules) - before))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "unavailable []"


# -- the real keystores (run by the release workflow on its Windows and macOS machines) ----------


@pytest.mark.only_on("win32", "darwin", reason="reads Windows Credential Manager or the macOS Keychain itself")
def test_a_key_keyring_wrote_in_the_real_keystore_is_read_back_the_same(monkeypatch):
    import keyring

    if sys.platform == "darwin":  # the login Keychain is found through the real home folder
        import pwd

        monkeypatch.setenv("HOME", pwd.getpwuid(os.getuid()).pw_dir)

    service, account, key = f"wijkkit-test-{secrets.token_hex(4)}", secrets.token_hex(16), secrets.token_hex(32)
    keyring.set_password(service, account, key)
    try:
        assert oskeys.read(service, account) == key
        assert oskeys.read(service, secrets.token_hex(16)) == oskeys.ABSENT
        other = secrets.token_hex(16)  # a second account: on Windows keyring moves the first
        keyring.set_password(service, other, key[::-1])
        assert (oskeys.read(service, account), oskeys.read(service, other)) == (key, key[::-1])
        keyring.delete_password(service, other)
    finally:
        keyring.delete_password(service, account)
    assert oskeys.read(service, account) == oskeys.ABSENT
