"""The catalogue is read straight from resources/locale (issue 19: without ``gettext.translation``'s
search, which imports ``locale`` at the app's start): the same messages, header and plural rule."""

from __future__ import annotations

import gettext

import pytest

from wijkkit import i18n


@pytest.mark.parametrize("language", [lang for lang in i18n.LANGUAGES if lang != "en"])
def test_the_catalogue_is_the_one_gettext_finds(language):
    assert i18n.set_language(language) == language
    ours, found = i18n._translations, gettext.translation(i18n.DOMAIN, i18n.locale_dir(), [language])
    assert (ours._catalog, ours._info, ours._charset) == (found._catalog, found._info, found._charset)
    assert [ours.plural(n) for n in range(5)] == [found.plural(n) for n in range(5)]


def test_a_language_without_a_catalogue_is_english():
    assert i18n.set_language("fr") == "en" and i18n.set_language("nl_BE") == "nl"
