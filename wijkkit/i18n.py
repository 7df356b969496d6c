"""One translation mechanism for the core and the UI alike.

Handouts are rendered by the core, so Qt's ``tr()`` cannot be the mechanism:
everything uses gettext through this module. Source strings are English; the
Dutch catalogue in resources/locale is the default, English the fallback.

``_`` translates now; ``N_`` only marks a string for extraction (for class-level
constants that are translated when shown).
"""

from __future__ import annotations

import gettext as _gettext
import os

DOMAIN = "wijkkit"
DEFAULT_LANGUAGE = "nl"
LANGUAGES = ("nl", "en")

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def locale_dir() -> str:
    from wijkkit.assets import resource

    return str(resource("locale"))


def set_language(language: str | None = None) -> str:
    """Switch the language of every later ``_()`` call; returns the language in use.

    Without an argument: $WIJKKIT_LANG, else Dutch. Unknown languages fall back to English.
    """
    global _translations, _language
    language = (language or os.environ.get("WIJKKIT_LANG") or DEFAULT_LANGUAGE).split("_")[0]
    if language not in LANGUAGES or language == "en":
        _translations, _language = _gettext.NullTranslations(), "en"
        return _language
    _translations = _catalogue(language)
    _language = language if isinstance(_translations, _gettext.GNUTranslations) else "en"
    return _language


def _catalogue(language: str) -> _gettext.NullTranslations:
    """The catalogue of ``language`` in resources/locale, as ``gettext.translation(..., fallback=True)``
    finds it there (the folders are named by language alone), without its search through the
    locale's variants (nl_NL.ISO8859-1, nl_NL...), which imports ``locale``: part of the app's start."""
    try:
        with open(os.path.join(locale_dir(), language, "LC_MESSAGES", f"{DOMAIN}.mo"), "rb") as mo:
            return _gettext.GNUTranslations(mo)
    except FileNotFoundError:
        return _gettext.NullTranslations()


def current_language() -> str:
    return _language


def gettext(message: str) -> str:
    if not message:  # gettext("") is the catalogue's header, never a translation: empty stays empty
        return message
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    return message


_ = gettext
