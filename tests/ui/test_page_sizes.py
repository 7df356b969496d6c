"""No page forces the window past a real screen (issue 14, problem 3 and the layout rules).

A 1920x1080 laptop at Windows' default 150 % is 1280x720 logical pixels, a projector laptop
1024x768. Take off a title bar and a taskbar and the main window has 1280x641 or 1024x689 for
its contents. Every page sits in a scroll area, so a page that asks for more than that does
not push the window off the screen, but it shows scroll bars: this test fails when any page,
any tab of it or any state of the evening (running, a proposal shown, ended) would need them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from PySide6.QtWidgets import QApplication, QScrollArea, QTabWidget

SCREENS = {"1280x720 (150 %)": (1280, 641), "1024x768": (1024, 689)}


def _tabbed_states(page):
    """Every tab of every tab widget on the page (nested ones too), one after the other."""
    yield "page"
    for tabs in page.findChildren(QTabWidget):
        for index in range(tabs.count()):
            if tabs.isTabVisible(index):
                tabs.setCurrentIndex(index)
                yield tabs.tabText(index)


def _overflow(window, index: int) -> list[str]:
    """The states of page ``index`` that show a scroll bar at each screen size."""
    window.show_page(index)
    frame = window.stack.currentWidget()
    assert isinstance(frame, QScrollArea) and frame.page is window.page(index)
    found = []
    for screen, size in SCREENS.items():
        window.resize(*size)
        for state in _tabbed_states(window.page(index)):
            QApplication.processEvents()
            hint = window.page(index).minimumSizeHint()
            viewport = frame.viewport().size()
            scrolls = frame.horizontalScrollBar().isVisible() or frame.verticalScrollBar().isVisible()
            if scrolls or hint.width() > viewport.width() or hint.height() > viewport.height():
                found.append(f"{window.nav.item(index).text()} / {state} at {screen}: "
                             f"needs {hint.width()}x{hint.height()}, has {viewport.width()}x{viewport.height()}")
    return found


@pytest.mark.parametrize("index", range(7))
def test_every_page_fits_without_scrolling(window, index):
    assert _overflow(window, index) == []


def test_the_evening_fits_while_running_and_after_the_end(window, today_kit):
    session = today_kit.sessions.next_planned()
    now = datetime.now(UTC)
    start = (now - timedelta(minutes=80)).astimezone().replace(tzinfo=None, second=0, microsecond=0)
    today_kit.sessions.edit(session.id, starts_at=start.isoformat(timespec="minutes"),
                            ends_at=(start + timedelta(minutes=140)).isoformat(timespec="minutes"))
    today_kit.live.press(session.id, "start", now - timedelta(minutes=80))
    for minutes_ago in (60, 18):  # running late, so the page proposes new times
        today_kit.live.press(session.id, "next", now - timedelta(minutes=minutes_ago))
    window.show_page(2)
    lead = window.page(2)
    lead.load(session.id)
    lead.show_proposal()
    problems = _overflow(window, 2)
    today_kit.live.press(session.id, "end", now)
    lead.load(session.id)
    problems += _overflow(window, 2)
    for index in range(window.page_count):  # the big "Afgelopen" once pushed every page wider
        problems += _overflow(window, index)
    assert problems == []


def test_a_smaller_screen_scrolls_instead_of_pushing_the_window(window):
    """At 150 % on 1366x768 (910x512 logical) the window stays on the screen and the page scrolls."""
    window.show_page(3)
    window.resize(910, 470)
    QApplication.processEvents()
    assert window.width() <= 910 and window.height() <= 470
    assert window.minimumSizeHint().width() <= 910 and window.minimumSizeHint().height() <= 470
    frame = window.stack.currentWidget()
    assert frame.horizontalScrollBar().isVisible() and frame.verticalScrollBar().isVisible()
    assert frame.verticalScrollBar().maximum() > 0  # the rest of the page can be scrolled to


def _cut_tabs(window, index: int) -> list[str]:
    """Tab bars of page ``index`` that hide a tab or cut its name (scroll arrows or an elided label)."""
    from PySide6.QtWidgets import QTabBar, QToolButton

    window.show_page(index)
    found = []
    for screen, size in SCREENS.items():
        window.resize(*size)
        for state in _tabbed_states(window.page(index)):
            QApplication.processEvents()
            for bar in window.page(index).findChildren(QTabBar):
                if not bar.isVisible():
                    continue
                arrows = [b for b in bar.findChildren(QToolButton) if b.isVisible()]
                short = [bar.tabText(i) for i in range(bar.count())
                         if bar.isTabVisible(i) and bar.tabRect(i).width() < bar.tabSizeHint(i).width()]  # fmt: skip
                last = max((bar.tabRect(i).right() for i in range(bar.count()) if bar.isTabVisible(i)), default=0)
                if arrows or short or last >= bar.width():
                    found.append(f"{window.nav.item(index).text()} / {state} at {screen}: tabs "
                                 f"{[bar.tabText(i) for i in range(bar.count())]} in {bar.width()} px, wanting {[bar.tabSizeHint(i).width() for i in range(bar.count())]}")
    return found


@pytest.mark.parametrize("index", range(7))
def test_every_tab_shows_its_whole_name(window, index):
    """The Leiden side panel's four tabs once needed scroll arrows at 1024x768, "Stippen" cut to "Stipp"."""
    assert sorted(set(_cut_tabs(window, index))) == []


def test_the_follow_up_tables_show_every_column_and_the_agreements_readably(window):
    """Opvolging once put its cards two by two at 1024 and 1280 pixels: each table then had half the
    width for five columns and cut its agreements to "Ko…" behind a horizontal scroll bar."""
    from PySide6.QtWidgets import QTabWidget

    window.show_page(3)
    people = window.page(3)
    tabs = people.findChild(QTabWidget)
    tabs.setCurrentWidget(people.followup)
    for screen, size in SCREENS.items():
        window.resize(*size)
        QApplication.processEvents()
        for view in (people.followup.overdue_view, people.followup.month_view, people.followup.review_view):
            header = view.horizontalHeader()
            assert view.model().rowCount() > 0, view.objectName()  # the demo has some in each
            assert not view.horizontalScrollBar().isVisible(), f"{view.objectName()} scrolls sideways at {screen}"
            assert header.length() <= view.viewport().width(), f"{view.objectName()} at {screen}"
            assert header.sectionSize(0) >= 180, f"{view.objectName()}: the agreement in {header.sectionSize(0)} px"
