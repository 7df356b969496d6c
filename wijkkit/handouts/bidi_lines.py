"""Broken lines of a paragraph put in display order: right-to-left text (Hebrew, Arabic) in a handout.

reportlab breaks a paragraph's lines on the text in reading order, so the first words come
on the first line; each line is then reordered for drawing by the Unicode bidi algorithm
(python-bidi), with mirrored brackets, and a line of several fragments keeps each character
with its fragment. ``style.Para.drawPara`` uses ``displayed``; ``style.visual`` uses
``display_order`` for text drawn straight on the page. Moved out of style.py to keep it small.
"""

from __future__ import annotations

import copy
import re
import unicodedata

FIRST_RIGHT_TO_LEFT = "\u0590"  # no character before the Hebrew block is right to left (R or AL): tested


def right_to_left(text: str) -> bool:
    """Whether ``text`` holds a Hebrew or Arabic letter (or a joined Arabic letter form)."""
    return not (text.isascii() or max(text) < FIRST_RIGHT_TO_LEFT) and \
        any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)  # fmt: skip


def displayed(blPara):  # noqa: ANN001, ANN201, N803 - reportlab's untyped ABag
    """A copy of broken lines (reportlab's ``blPara``) with each line put in display order.

    The lines were broken on the text in reading order, so the first words come on the
    first line; now each line is reordered (Unicode bidi rules, python-bidi). The base
    direction is that of the first strong letter of the paragraph, or of the part after a
    ``<br/>``: a Hebrew name that wraps to a line starting with a Latin word stays right to left.
    """
    from bidi import get_base_level

    lines, out, base = blPara.lines, [], None
    for line in lines:
        if blPara.kind == 0:
            words = list(line[1])
            chars = [(ch, 0) for ch in " ".join(words)]
        elif any(getattr(f, "cbDefn", None) is not None or not hasattr(f, "text") for f in line.words):
            out.append(line)  # an image or an index entry: left as it is
            continue
        else:
            chars = [(ch, n) for n, f in enumerate(line.words) for ch in f.text]
        line_text = "".join(ch for ch, _ in chars)
        if base is None:
            first = "".join(text_of(blPara.kind, later) for later in lines[len(out):])
            base = get_base_level(first) if right_to_left(first) else 0
        if right_to_left(line_text) or base:
            order = display_order(line_text, base)
            if blPara.kind == 0:
                line = (line[0], "".join(ch for ch, _ in order).split(" "))
            else:
                line = line.clone(words=_regrouped(line.words, [(ch, chars[i][1]) for ch, i in order]))
        out.append(line)
        if blPara.kind != 0 and getattr(out[-1], "lineBreak", False):
            base = None  # a <br/>: the next part has its own direction
    return blPara.clone(lines=out)


def text_of(kind: int, line: object) -> str:
    return " ".join(line[1]) if kind == 0 else "".join(getattr(f, "text", "") for f in line.words)  # type: ignore[index,attr-defined]


def _regrouped(frags: list, order: list[tuple[str, int]]) -> list:
    """Runs of characters from the same fragment (font, colour) become one fragment each."""
    out: list = []
    for ch, n in order:
        if out and out[-1][0] == n:
            out[-1][1].append(ch)
        else:
            out.append((n, [ch]))
    regrouped = []
    for n, chars in out:
        frag = copy.copy(frags[n])
        frag.text = "".join(chars)
        regrouped.append(frag)
    return regrouped


def display_order(line: str, base: int) -> list[tuple[str, int]]:
    """Each character of one line in display order with its index in ``line`` (mirrored if need be).

    The embedding levels come from python-bidi's compiled Unicode bidi algorithm (it
    pairs brackets, UAX #9 N0, as its pure Python one does not): ``get_display`` gives only
    the reordered string without mirroring brackets, so "(عربي)" would print as ")عربي(",
    and a line of several fragments needs to know where each character came from. So
    the levels are read from its debug output and the line is reordered here (UAX #9
    L1, L2 and L4). Should that output change shape, the pure Python algorithm is used.
    """
    levels = _levels(line, base)
    if levels is None:
        return _display_order_python(line, base)
    for n in range(len(line) - 1, -1, -1):  # L1: whitespace at the end of the line takes the base level
        if unicodedata.bidirectional(line[n]) not in ("WS", "BN", "S", "LRI", "RLI", "FSI", "PDI"):
            break
        levels[n] = base
    order = list(range(len(line)))
    highest, lowest_odd = max(levels, default=0), min((lv for lv in levels if lv % 2), default=None)
    for level in range(highest, (lowest_odd or highest + 1) - 1, -1):  # L2
        n = 0
        while n < len(order):
            if levels[order[n]] >= level:
                end = n
                while end < len(order) and levels[order[end]] >= level:
                    end += 1
                order[n:end] = order[n:end][::-1]
                n = end
            else:
                n += 1
    from bidi.mirror import MIRRORED

    return [(MIRRORED.get(line[i], line[i]) if levels[i] % 2 else line[i], i) for i in order]  # L4


_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def _levels(line: str, base: int) -> list[int] | None:
    """The resolved embedding level of each character of ``line``, or None if they cannot be read."""
    from bidi.bidi import get_display_inner

    try:
        info = get_display_inner(line, "LR"[base], True)
        levels = [int(level) for level in _LEVEL.findall(info.split("levels:", 1)[1].split("]", 1)[0])]
    except (IndexError, ValueError, TypeError):
        return None
    if len(levels) != len(line.encode("utf-8")):  # one level for each byte of the UTF-8 text
        return None
    by_char, offset = [], 0
    for ch in line:
        by_char.append(levels[offset])
        offset += len(ch.encode("utf-8"))
    return by_char


def _display_order_python(line: str, base: int) -> list[tuple[str, int]]:
    """As ``display_order`` with python-bidi's pure Python algorithm (no bracket pairs)."""
    from bidi import algorithm as uba

    storage = uba.get_empty_storage()
    storage["base_level"], storage["base_dir"] = base, ("L", "R")[base]
    uba.get_embedding_levels(line, storage)
    for index, ch in enumerate(storage["chars"]):
        ch["index"] = index
    uba.explicit_embed_and_overrides(storage, False)
    uba.resolve_weak_types(storage, False)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    uba.reorder_resolved_levels(storage, False)
    uba.apply_mirroring(storage, False)
    return [(ch["ch"], ch["index"]) for ch in storage["chars"]]
