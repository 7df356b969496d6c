"""Text helpers shared by the core: sorting names the way people expect.

SQLite's NOCASE only folds ASCII, so 'Łucja' and 'Şükrü' would sort after 'Zoë'.
``sort_key`` folds case and accents in Python instead.
"""

from __future__ import annotations

import unicodedata

_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "ı": "i", "æ": "ae", "œ": "oe"})


def sort_key(text: str | None) -> str:
    """A key that sorts 'Łucja' with L and 'Şükrü' with S, ignoring case and accents."""
    if text is None or text.isascii():  # nothing to fold but case (the hub's redactor folds every name)
        return (text or "").lower()
    folded = unicodedata.normalize("NFKD", (text or "").casefold().translate(_LETTERS))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def whole_number(value: object, low: int, high: int) -> int | None:
    """``value`` as an int when it is a whole number from low to high (also '12'), else None."""
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip()) if isinstance(value, str) else int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if isinstance(value, float) and number != value:
        return None
    return number if low <= number <= high else None
