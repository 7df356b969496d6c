"""Paragraphs of plain or simply marked-up text without reportlab's parser: the fragments it would make, made directly.

reportlab's Paragraph parses its text as markup (an HTMLParser fed ``<para>text</para>``)
even when there is none, and a handout's story has hundreds of short paragraphs (table
cells, headings): parsing was about a third of the time it took to make the session pack's
story (issue 19). The parser makes one fragment per run of text between tags, a copy of
the fragment of the tags around it with the text set, and nothing in it depends on the
text itself. So a text is reduced to its skeleton (each run of text replaced by ``x``),
the skeleton is parsed once per style, and each ``x`` fragment is copied with its run of
text; ``style.Para`` asks ``fragments`` for them. Only tags whose effect cannot depend on
the text or on anything outside the paragraph are taken this way (bold, italic, line
breaks, a font's size and colour); entities, links, images, underlines, other fonts and
anything else go to the parser. tests/core/test_handout_speed.py and
tests/core/test_handout_quickwrap.py compare the two for many texts and styles.
"""

from __future__ import annotations

import copy
import re

from reportlab.lib.abag import ABag
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaFrag, ParaParser

PROBE = "x"
# tags taken without the parser; a font with nothing but a size and a colour
_TAGS = re.compile(r"(<b>|</b>|<i>|</i>|<br/>|</font>"
                   r"""|<font(?: (?:size|color)=(?:'[^'<>&"]*'|"[^"<>&']*"|[^\s'"<>&=]+))+>)""")  # fmt: skip
# a ParaFrag is an ABag whose copy (copy.copy) is its attributes in a new bag: made so, without copy's detours
_PLAIN_BAG = (ParaFrag.__init__ is ABag.__init__ and ParaFrag.__reduce_ex__ is object.__reduce_ex__
              and ParaFrag.__getstate__ is object.__getstate__
              and not hasattr(ParaFrag, "__copy__") and not hasattr(ParaFrag, "__setstate__"))  # fmt: skip


def fragments(text: str, style: ParagraphStyle) -> list | None:
    """The fragments reportlab's parser makes of ``text`` (cleaned as reportlab cleans it), or None to parse it.

    A style made afresh for one paragraph (a card's text at the size that fits) finds the
    fragments of an earlier style with all the same attributes.
    """
    if "&" in text:
        return None
    if "<" in text:
        parts = _TAGS.split(text)
        runs = parts[::2]
        if any("<" in run for run in runs):
            return None
        skeleton = "".join(part if n % 2 else PROBE if part else "" for n, part in enumerate(parts))
        runs = [run for run in runs if run]
    else:
        skeleton, runs = (PROBE, [text]) if text else ("", [])
    known = _skeletons.get(style)
    if known is None:
        if len(_skeletons) >= 512:  # styles made afresh for one paragraph: forget them now and then
            _skeletons.clear()
        known = _skeletons[style] = {}
    template = known.get(skeleton)
    if template is None:
        if len(known) >= 256:
            known.clear()
        template = known[skeleton] = _template(style, skeleton)
    if template is False:
        return None
    # lists the parser's fragments share (links, underlines): new ones, shared alike
    fresh: dict[int, list] = {}
    made = []
    texts = iter(runs)
    for frag, slot, lists in template:
        if _PLAIN_BAG:
            new = ParaFrag.__new__(ParaFrag)
            new.__dict__.update(frag.__dict__)
        else:
            new = copy.copy(frag)
        for name in lists:
            old = frag.__dict__[name]
            shared = fresh.get(id(old))
            if shared is None:
                shared = fresh[id(old)] = list(old)
            new.__dict__[name] = shared
        if slot:
            new.text = next(texts)
        made.append(new)
    return made


def cleaned_text(text: str) -> str:
    """reportlab's clean-up of a paragraph's text (``cleanBlockQuotedText``), which leaves most texts as they are.

    It strips each line, joins the lines with a space and puts one space between words:
    printable text (no line break, tab or other space than U+0020) with single spaces
    inside and none at either end comes out the same.
    """
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return cleanBlockQuotedText(text)


def plain_frags(text: str, style: ParagraphStyle) -> list | None:
    """The fragments of ``text`` without markup: ``fragments`` (the name tests/core/test_handout_speed.py knows)."""
    return None if "<" in text else fragments(text, style)


def _template(style: ParagraphStyle, skeleton: str) -> tuple | bool:
    """The parser's fragments of ``skeleton`` in ``style``: (fragment, holds a run, its list attributes) each.

    False for a style or skeleton whose fragments are not that simple.
    """
    attributes = dict(vars(style))
    attributes.pop("name", None)
    attributes.pop("parent", None)
    try:
        key = (tuple(attributes), tuple(attributes.values()), skeleton)
        hash(key)
    except TypeError:  # an attribute that cannot be compared this way: this style alone
        key = None
    if key is not None and key in _alike:
        return _alike[key]
    found, frags, bullets = ParaParser().parse(skeleton, style)
    expected = [PROBE if n % 2 == 0 else "" for n, part in enumerate(_TAGS.split(skeleton))
                if (n % 2 == 0 and part) or part == "<br/>"]  # fmt: skip
    simple = (found is style and frags is not None and not bullets and not getattr(style, "textTransform", None)
              and [getattr(f, "text", None) for f in frags] == expected
              and all(type(f) is ParaFrag and not getattr(f, "greek", 0) and not hasattr(f, "cbDefn")
                      and all(v == [] for v in vars(f).values() if isinstance(v, list)) for f in frags))  # fmt: skip
    template: tuple | bool = False
    if simple:
        template = tuple(
            (f, f.text == PROBE, tuple(n for n, v in vars(f).items() if type(v) is list))
            for f in frags
        )
    if key is not None:
        if len(_alike) >= 1024:
            _alike.clear()
        _alike[key] = template
    return template


# per style (a ParagraphStyle is compared by identity), its skeletons' fragments
_skeletons: dict[ParagraphStyle, dict[str, object]] = {}
_alike: dict[tuple, object] = {}
