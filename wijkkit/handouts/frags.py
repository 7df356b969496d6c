"""Paragraphs of plain text without reportlab's parser: the fragments it would make, made directly.

reportlab's Paragraph parses its text as markup (an HTMLParser fed ``<para>text</para>``)
even when there is none, and a handout's story has hundreds of short paragraphs (table
cells, headings): parsing was about a third of the time it took to make the session pack's
story (issue 19). For text without ``<`` or ``&`` the parser makes one fragment, a copy of
the style's initial fragment holding the text; ``style.Para`` asks ``plain_frags`` for it.
tests/core/test_handout_speed.py compares the two for many texts and styles.
"""

from __future__ import annotations

import copy
import weakref

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.paraparser import ParaParser


def plain_frags(text: str, style: ParagraphStyle) -> list | None:
    """The fragments reportlab's parser makes of ``text`` without markup (cleaned as reportlab cleans it), or None.

    The parser (an HTMLParser fed ``<para>text</para>``) makes one fragment: a copy of
    the style's initial fragment holding the text, or none for an empty text. That
    fragment is made here once per style, by parsing a probe, and copied with the
    text: a third of the time it took to make a handout's story was parsing (tests/core/test_handout_speed.py
    compares the two). Text with markup or entities (``<`` or ``&``) is left to the parser.
    A style made afresh for one paragraph (a card's text at the size that fits) finds the
    fragment of an earlier style with all the same attributes.
    """
    template = _plain.get(style)
    if template is None:
        template = _plain[style] = _template(style)
    if template is False:
        return None
    if not text:
        return []
    frag = copy.copy(template)
    frag.text, frag.link, frag.us_lines = text, [], []  # as the parser: lists of their own
    return [frag]


def _template(style: ParagraphStyle) -> object:
    """The parser's fragment of ``PROBE`` in ``style``; False for a style whose fragments are not that simple."""
    try:
        key = tuple(sorted((name, value) for name, value in vars(style).items() if name not in ("name", "parent")))
        hash(key)
    except TypeError:  # an attribute that cannot be compared this way: this style alone
        key = None
    if key is not None and key in _alike:
        return _alike[key]
    found, frags, bullets = ParaParser().parse(PROBE, style)
    simple = (found is style and frags is not None and len(frags) == 1 and not bullets and frags[0].text == PROBE
              and not getattr(frags[0], "greek", 0) and not getattr(style, "textTransform", None)
              and frags[0].link == [] and frags[0].us_lines == [])  # fmt: skip
    template = frags[0] if simple else False
    if key is not None:
        if len(_alike) >= 512:
            _alike.clear()
        _alike[key] = template
    return template


PROBE = "x"
_plain: weakref.WeakKeyDictionary[ParagraphStyle, object] = weakref.WeakKeyDictionary()
_alike: dict[tuple, object] = {}
