"""Text helpers shared by the core: sorting names the way people expect.

SQLite's NOCASE only folds ASCII, so 'Łucja' and 'Şükrü' would sort after 'Zoë'.
``sort_key`` folds case and accents in Python instead.
"""

from __future__ import annotations

import unicodedata

_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "ı": "i", "æ": "ae", "œ": "oe"})


def sort_key(text: str | None) -> str:
    """A key that sorts 'Łucja' with L and 'Şükrü' with S, ignoring case and accents."""
    folded = unicodedata.normalize("NFKD", (text or "").casefold().translate(_LETTERS))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))
