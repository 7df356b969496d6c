"""A larger system font (issue 17, problem 6): with the default font 50 % larger, headings stay
larger than the text under them, the window stays on the screen, and a page that outgrows it
scrolls to every part of it instead of being cut off.

The font is made larger the way the system does it, on the application before the window is built;
the style sheet follows it (ui/style.py builds it from the application's font). Screens as in
tests/ui/test_page_sizes.py: 1280x720 at 150 % and 1024x768, less a title bar and a taskbar.
"""

from __future__ import annotations

import pytest

from PySide6.QtGui import QFont, QFontInfo
from PySide6.QtWidgets import QApplication, QLabel

from tests.ui.conftest import shown_window

SCREENS = {"1280x720": (1280, 641), "1024x768": (1024, 689)}


@pytest.fixture
def large_font():
    """The default font 1.5 times as large while the test runs; as it was afterwards."""
    from ui.app import make_application

    app = make_application("nl")
    normal = QFont(app.font())
    larger = QFont(normal)
    larger.setPointSizeF(normal.pointSizeF() * 1.5)
    app.setFont(larger)
    yield QFontInfo(larger).pixelSize()
    app.setFont(normal)
    make_application("nl")


def _labels(page, name: str) -> list[QLabel]:
    return [label for label in page.findChildren(QLabel) if label.objectName() == name and label.isVisible()]


@pytest.mark.parametrize("screen", SCREENS)
def test_pages_at_a_larger_font_keep_their_order_and_scroll(qtbot, today_kit, large_font, screen):
    width, height = SCREENS[screen]
    window = shown_window(qtbot, today_kit, (width, height))
    problems = []
    for index in range(window.page_count):
        window.show_page(index)
        window.nav.setCurrentRow(index)
        QApplication.processEvents()
        page, frame = window.page(index), window.stack.currentWidget()
        name = window.nav.item(index).text()
        for level in ("h1", "h2"):
            for label in _labels(page, level):
                if QFontInfo(label.font()).pixelSize() <= large_font:
                    problems.append(f"{name}: {level} {label.text()!r} is not larger than the text")
        if window.width() > width or window.height() > height:
            problems.append(f"{name}: the window grew to {window.width()}x{window.height()}")
        needed, holder, viewport = page.minimumSizeHint(), frame.widget().size(), frame.viewport().size()
        if holder.width() < needed.width() or holder.height() < needed.height():
            problems.append(f"{name}: the page needs {needed.toTuple()} and gets {holder.toTuple()}")
        for bar, room, extent in ((frame.horizontalScrollBar(), viewport.width(), holder.width()),
                                  (frame.verticalScrollBar(), viewport.height(), holder.height())):  # fmt: skip
            if extent > room and bar.maximum() < extent - room:
                problems.append(f"{name}: {extent - room} px of the page cannot be scrolled to")
    nav_font = window.nav.fontMetrics()
    widest = max(nav_font.horizontalAdvance(window.nav.item(i).text()) for i in range(window.page_count))
    if widest > window.nav.viewport().width() - 2 * 18 - 4:  # the items' padding and left edge
        problems.append(f"the sidebar cuts its titles: {widest} px wide in {window.nav.viewport().width()}")
    assert problems == []


def test_the_default_font_keeps_the_pixel_sizes_the_pages_were_laid_out_at():
    """At Qt's default font (9 pt at 96 dpi, 12 px) the style sheet says what it always said."""
    from ui.style import stylesheet

    sheet = stylesheet(12.0)
    for size in ("font-size: 24px", "font-size: 16px", "font-size: 13px", "font-size: 120px", "min-width: 227px"):
        assert size in sheet
    larger = stylesheet(18.0)
    assert "font-size: 36px" in larger and "font-size: 24px" in larger and "font-size: 20px" in larger
