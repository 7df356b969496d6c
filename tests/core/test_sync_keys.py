"""Signing keys are plain RFC 8032 Ed25519: keys made before the switch from
cryptography to PyNaCl (decision 0012) keep working, and a signature made by one
library verifies in any other."""

from __future__ import annotations

import base64

import pytest

from wijkkit.kit import Kit
from wijkkit.sync import keys

# RFC 8032, section 7.1, TEST 2: a one-byte message.
SEED = bytes.fromhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")
PUBLIC = bytes.fromhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
MESSAGE = bytes.fromhex("72")
SIGNATURE = bytes.fromhex(
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
    "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
)


def test_a_stored_seed_signs_as_rfc_8032_says(kit):
    keys.ensure_keys(kit)
    kit._set_meta("sync_sign_key", base64.b64encode(SEED).decode())  # a key stored earlier
    assert keys.signing_key(kit).sign(MESSAGE) == SIGNATURE
    assert base64.b64decode(keys.public_sign_key(kit)) == PUBLIC


def test_new_keys_are_32_byte_seeds_and_differ_per_database(kit):
    keys.ensure_keys(kit)
    with Kit.memory() as other:
        keys.ensure_keys(other)
        mine, theirs = (base64.b64decode(k._meta("sync_sign_key")) for k in (kit, other))
    assert len(mine) == len(theirs) == 32
    assert mine != theirs


def test_keys_are_made_once(kit):
    keys.ensure_keys(kit)
    first = keys.public_sign_key(kit)
    keys.ensure_keys(kit)
    assert keys.public_sign_key(kit) == first


@pytest.mark.parametrize("flip", [0, 31, 63])
def test_a_changed_signature_does_not_verify(kit, flip):
    from nacl.exceptions import BadSignatureError
    from nacl.signing import VerifyKey

    signature = bytearray(keys.signing_key(kit).sign(MESSAGE))
    signature[flip] ^= 1
    verify = VerifyKey(base64.b64decode(keys.public_sign_key(kit))).verify
    with pytest.raises(BadSignatureError):
        verify(MESSAGE, bytes(signature))
