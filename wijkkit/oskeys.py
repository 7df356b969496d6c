"""Reading a database key from Windows Credential Manager or the macOS Keychain, without keyring.

``keyring`` costs a start about a fifth of a second before the first frame: importing it
pulls in ``jaraco.context`` and through it ``urllib.request``, ``http.client``, ``email``
and ``ssl``, and finding its backend imports every plugin. On Windows and macOS, where
the key of most databases lives, the read that every start needs is one system call, so
it is made here directly with ctypes: ``CredReadW`` on Windows (not through pywin32-ctypes,
which parses its C declarations with pycparser on import), ``SecItemCopyMatching`` on macOS.

Only reading is done here. Keys are written, moved and deleted by keyring, so this reads
them where keyring's default backend on each system puts them:

- Windows (``WinVaultKeyring``): a generic credential whose target is the service and
  whose user name is the account; when a second account was stored for the same service,
  keyring moved the first one to the target ``<account>@<service>``. The secret is UTF-16.
- macOS (``macOS.Keyring``): a generic password item with the service and account, UTF-8.

``read`` answers in three ways, so that ``keystore`` knows whether asking keyring could
still help: the secret; ``ABSENT`` when the system answered that there is no such entry
(keyring may still be configured to keep keys elsewhere, so it is asked); ``REFUSED`` when
the Keychain said no (the person cancelled its question, or it may not ask now): asking
keyring would put the same question to the person again. Anything else (another system, a
missing library, an error code we do not expect, a value that is no key) is ``UNAVAILABLE``,
and keyring is asked as before: this module can make a start faster, never lose a key.
Windows asks the person nothing, so there every failure but "not found" is ``UNAVAILABLE``.
"""

from __future__ import annotations

import functools
import sys

ABSENT = "absent"
REFUSED = "refused"
UNAVAILABLE = "unavailable"

_WINDOWS_NOT_FOUND = 1168  # ERROR_NOT_FOUND
_MAC_NOT_FOUND = -25300  # errSecItemNotFound
# the person or the system said no: user canceled (or keychain denied), auth failed, no interaction
_MAC_REFUSALS = (-128, -25293, -25308)
_UTF8 = 0x08000100  # kCFStringEncodingUTF8


def read(service: str, account: str) -> str:
    """The secret kept for ``account`` of ``service``, or ``ABSENT``, ``REFUSED`` or ``UNAVAILABLE``."""
    try:
        if sys.platform == "win32":
            return _read_windows(service, account)
        if sys.platform == "darwin":
            return _read_macos(service, account)
    except Exception:  # noqa: BLE001 - whatever fails here, keyring gets its turn
        return UNAVAILABLE
    return UNAVAILABLE


def is_secret(answer: str) -> bool:
    return answer not in (ABSENT, REFUSED, UNAVAILABLE)


# -- Windows Credential Manager ---------------------------------------------------------------

_CRED_TYPE_GENERIC = 1


def _read_windows(service: str, account: str, credential=None) -> str:
    """keyring's ``WinVaultKeyring.get_password``: the target named after the service when it
    belongs to ``account``, else the compound target. ``credential(target)`` gives (user name,
    secret bytes) or None; tests hand in a stand-in for Credential Manager."""
    credential = credential or _credential_reader()
    found = credential(service)
    if found is None or found[0] != account:
        found = credential(f"{account}@{service}")
    if found is None:
        return ABSENT
    try:
        return found[1].decode("utf-16")  # as keyring writes it (and reads it first)
    except UnicodeDecodeError:  # an old entry written as UTF-8: keyring reads those
        return UNAVAILABLE


@functools.cache
def _credential_type():
    """``CREDENTIALW`` as ctypes lays it out (a DWORD is 32 bits on every Windows)."""
    import ctypes

    dword, text = ctypes.c_uint32, ctypes.c_wchar_p

    class Credential(ctypes.Structure):
        _fields_ = (("Flags", dword), ("Type", dword), ("TargetName", text), ("Comment", text),
                    ("LastWritten", ctypes.c_uint32 * 2), ("CredentialBlobSize", dword),
                    ("CredentialBlob", ctypes.POINTER(ctypes.c_ubyte)), ("Persist", dword),
                    ("AttributeCount", dword), ("Attributes", ctypes.c_void_p), ("TargetAlias", text),
                    ("UserName", text))  # fmt: skip

    return Credential


def _credential_reader():
    """``CredReadW`` for a generic credential: target -> (user name, secret) or None when there is
    none; any other failure raises, and ``read`` then leaves the key to keyring."""
    import ctypes

    credential_type = _credential_type()
    advapi = ctypes.WinDLL("advapi32", use_last_error=True)
    cred_read, cred_free = advapi.CredReadW, advapi.CredFree
    cred_read.argtypes = (ctypes.c_wchar_p, ctypes.c_uint32, ctypes.c_uint32,
                          ctypes.POINTER(ctypes.POINTER(credential_type)))  # fmt: skip
    cred_read.restype = ctypes.c_int
    cred_free.argtypes = (ctypes.c_void_p,)
    cred_free.restype = None

    def credential(target: str) -> tuple[str | None, bytes] | None:
        found = ctypes.POINTER(credential_type)()
        if not cred_read(target, _CRED_TYPE_GENERIC, 0, ctypes.byref(found)):
            error = ctypes.get_last_error()
            if error == _WINDOWS_NOT_FOUND:
                return None
            raise OSError(error, f"CredReadW failed for {target!r}")
        try:
            item = found.contents
            blob = ctypes.string_at(item.CredentialBlob, item.CredentialBlobSize) if item.CredentialBlobSize else b""
            return item.UserName, blob
        finally:
            cred_free(found)

    return credential


# -- macOS Keychain ----------------------------------------------------------------------------


def _read_macos(service: str, account: str) -> str:
    """``SecItemCopyMatching`` for one generic password with its data, as keyring's macOS backend
    asks; every Core Foundation object made or returned is released."""
    import ctypes
    from ctypes.util import find_library

    security = ctypes.CDLL(find_library("Security"))
    core = ctypes.CDLL(find_library("CoreFoundation"))
    vp = ctypes.c_void_p
    core.CFStringCreateWithCString.restype = vp
    core.CFStringCreateWithCString.argtypes = (vp, ctypes.c_char_p, ctypes.c_uint32)
    core.CFDictionaryCreate.restype = vp
    core.CFDictionaryCreate.argtypes = (vp, vp, vp, ctypes.c_long, vp, vp)
    core.CFDataGetBytePtr.restype = vp
    core.CFDataGetBytePtr.argtypes = (vp,)
    core.CFDataGetLength.restype = ctypes.c_long
    core.CFDataGetLength.argtypes = (vp,)
    core.CFRelease.restype = None
    core.CFRelease.argtypes = (vp,)
    security.SecItemCopyMatching.restype = ctypes.c_int32
    security.SecItemCopyMatching.argtypes = (vp, vp)

    def constant(library, name: str) -> int | None:
        return vp.in_dll(library, name).value

    made = [core.CFStringCreateWithCString(None, text.encode("utf-8"), _UTF8) for text in (service, account)]
    try:
        if not all(made):
            return UNAVAILABLE
        pairs = (
            ("kSecClass", constant(security, "kSecClassGenericPassword")),
            ("kSecAttrService", made[0]),
            ("kSecAttrAccount", made[1]),
            ("kSecMatchLimit", constant(security, "kSecMatchLimitOne")),
            ("kSecReturnData", constant(core, "kCFBooleanTrue")),
        )
        names = [constant(security, name) for name, _ in pairs]
        if not all(names) or not all(value for _, value in pairs):  # a NULL would crash the dictionary
            return UNAVAILABLE
        keys = (vp * len(pairs))(*names)
        values = (vp * len(pairs))(*(value for _, value in pairs))
        query = core.CFDictionaryCreate(None, keys, values, len(pairs),
                                        ctypes.addressof(vp.in_dll(core, "kCFTypeDictionaryKeyCallBacks")),
                                        ctypes.addressof(vp.in_dll(core, "kCFTypeDictionaryValueCallBacks")))  # fmt: skip
        if not query:
            return UNAVAILABLE
        try:
            data = vp()
            status = security.SecItemCopyMatching(query, ctypes.byref(data))
        finally:
            core.CFRelease(query)
        if status == _MAC_NOT_FOUND:
            return ABSENT
        if status in _MAC_REFUSALS:
            return REFUSED
        if status != 0 or not data.value:
            return UNAVAILABLE
        try:
            start, length = core.CFDataGetBytePtr(data), core.CFDataGetLength(data)
            raw = ctypes.string_at(start, length) if start and length > 0 else b""
        finally:
            core.CFRelease(data)
        return raw.decode("utf-8")
    finally:
        for item in made:
            if item:
                core.CFRelease(item)
