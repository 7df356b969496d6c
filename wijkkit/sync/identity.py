"""Fingerprints: a key a person can compare, read aloud over the phone.

A laptop's and the hub's identity is their pair of public keys (Ed25519 to sign, age
X25519 to receive). Its fingerprint is the SHA-256 of both, written as 6 groups of 4
characters of base32 (A-Z and 2-7: no 0/O or 1/I to mix up), 120 bits: too many to
forge, short enough to read out. The coordinator compares the fingerprint the
facilitator reads from the laptop's Synchroniseren page with the one the hub shows
before trusting that laptop.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

GROUPS, GROUP = 6, 4
_DOMAIN = b"wijkkit fingerprint v1\0"


def fingerprint(sign_key_b64: str, age_recipient: str) -> str:
    """``ABCD-EFGH-...``: the fingerprint of a sign key (base64) and an age recipient."""
    try:
        sign_key = base64.b64decode(sign_key_b64, validate=True)
    except (binascii.Error, ValueError):
        sign_key = sign_key_b64.encode("utf-8", "replace")
    digest = hashlib.sha256(_DOMAIN + sign_key + b"\0" + age_recipient.encode("utf-8", "replace")).digest()
    text = base64.b32encode(digest).decode("ascii")[: GROUPS * GROUP]
    return "-".join(text[i: i + GROUP] for i in range(0, GROUPS * GROUP, GROUP))


def normalise(typed: str) -> str:
    """A fingerprint as a person typed it (any case, spaces or dashes) in the canonical form, or ''."""
    text = "".join(ch for ch in typed.upper() if ch.isalnum())
    if len(text) != GROUPS * GROUP or any(ch not in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for ch in text):
        return ""
    return "-".join(text[i: i + GROUP] for i in range(0, GROUPS * GROUP, GROUP))
