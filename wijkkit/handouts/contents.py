"""A table of contents drawn last, so a story with one is laid out once instead of twice.

The session pack opens with its contents: which document starts on which page. reportlab's
``multiBuild`` learns the pages by building the whole story, then building it again with
the numbers in (page.py made that first pass a layout-only sketch, decision 0010). Yet the
contents take the same room whatever the numbers are: each entry is a Paragraph of its
title, and the dots and the number are drawn at its end (reportlab's ``onDraw``), taking
no room of their own. The pack knows its titles before building (``expected``), so the
contents are laid out with them and page 0, the story is built and drawn once, each
``Chapter`` reports its page on the way, and only the contents themselves wait: they are
drawn when the canvas writes the pages out (``NumberedCanvas.later``), with the real
numbers, at the place and on the page where they were laid out. The contents are the
last thing on their page, so even the page's drawing commands come in the same order.

Should anything differ from what was expected (a title reported that was not expected,
the contents split over two pages), the build falls back to ``multiBuild``
(``page.Template.contents_build``): slower, never wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus.tableofcontents import TableOfContents


class LateContents(TableOfContents):
    """A TableOfContents that knows its entries' titles in advance and draws itself last (see the module)."""

    def __init__(self, expected: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.expected = [(level, title) for level, title in expected]
        self.late = False  # set for the one pass that draws it last (page.Template.contents_build)
        self._placed: tuple[float, float, float, float, float, float] | None = None  # avail w, h; x, y, sW; height
        self._split = False
        self._made_on: Any = None
        self._made_for: tuple | None = None

    def start_late(self) -> None:
        """Before the single pass: lay out with the expected titles at page 0, collect the real pages."""
        self.late, self._placed, self._split = True, None, False
        self._lastEntries = [(level, title, 0, None) for level, title in self.expected]
        self._entries = []

    def stop_late(self) -> None:
        """Back to a plain TableOfContents for ``multiBuild`` (the fallback)."""
        self.late = False
        self._lastEntries, self._entries = [], []

    def satisfied_late(self, canvas: Any) -> bool:
        """Whether the pass found what was expected, placed the contents whole on one page, and the
        real page numbers take the room laid out for them."""
        found = [(level, title) for level, title, _page, _key in self._entries]
        keys = [key for _level, _title, _page, key in self._entries]
        if self._placed is None or self._split or found != self.expected or any(keys):
            return False
        width, height, _x, _y, _shift, laid_out = self._placed
        self._lastEntries = list(self._entries)
        return abs(self.wrapOn(canvas, width, height)[1] - laid_out) <= 1e-6

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        """reportlab's, but a table made for the same entries, room and canvas is kept (it parses every
        entry anew, and the pack's contents are measured four times)."""
        self._avail = (availWidth, availHeight)
        key = (availWidth, availHeight, tuple(self._lastEntries))
        if self._table is not None and self._made_on is self.canv and self._made_for == key:
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._made_on, self._made_for = self.canv, key  # the canvas holds the callback that draws the numbers
        return size

    def split(self, availWidth: float, availHeight: float) -> list:  # noqa: N803 - reportlab's names
        self._split = True  # its parts would be drawn now, with page 0: the fallback redoes it
        return super().split(availWidth, availHeight)

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803 - reportlab's names
        if not self.late or not hasattr(canvas, "later"):
            return super().drawOn(canvas, x, y, _sW)
        self._placed = (*self._avail, x, y, _sW, self.height)
        canvas.later(self._draw_late)
        return None

    def _draw_late(self, canvas: Any) -> None:
        """Called by the canvas on this page's own state, before its footer: laid out again with the real numbers."""
        width, height, x, y, shift, laid_out = self._placed
        self._lastEntries = list(self._entries)
        _w, now = self.wrapOn(canvas, width, height)
        if abs(now - laid_out) > 1e-6:  # cannot happen with the titles checked; never print a page that overlaps
            raise RuntimeError(f"the contents took {now} points instead of {laid_out}")
        self._table.drawOn(canvas, x, y, shift)
