"""Issue 17: Tab goes through every page and comes back, and never gets stuck in a table.

Qt's tables move the focus from cell to cell on Tab and wrap around inside the table: the
review pressed Tab 70 times on Overzicht and never left it. Here, on each page and tab of the
main window (Leiden and Uitdraaien are other helpers' pages), Tab is pressed on whatever has
the focus, starting at the sidebar, until the focus is back at the sidebar: every control of
the page that takes Tab is visited, and no press leaves the focus where it was.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.a11y_walk import LEIDEN, UITDRAAIEN, controls, describe, every_view
from tests.ui.conftest import shown_window
from wijkkit.sync import keys


def _round(qtbot, window, start) -> tuple[list, list[str]]:
    """Tab from ``start`` until it has the focus again: the widgets visited, and the stuck presses."""
    start.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    limit = 3 * len(controls(window)) + 10
    visited, stuck = [], []
    for _press in range(limit):
        before = QApplication.focusWidget()
        qtbot.keyClick(before, Qt.Key_Tab)
        after = QApplication.focusWidget()
        if after is start:
            return [start, *visited], stuck
        if after is before or after is None:
            stuck.append(describe(before))
            if after is None:
                break
        visited.append(after)
    stuck.append(f"not back at {describe(start)} after {limit} presses")
    return visited, stuck


def _tab_stops(page) -> list:
    return [w for w in controls(page) if w.focusPolicy() & Qt.TabFocus and w.isEnabled()]


def _walk(qtbot, window, pages) -> list[str]:
    """Tab round each view, from the sidebar back to the sidebar."""
    problems = []
    for where, page in every_view(window, pages):
        visited, stuck = _round(qtbot, window, window.nav)
        problems += [f"{where}: Tab stays on {item}" for item in dict.fromkeys(stuck)]
        missed = [w for w in _tab_stops(page) if w not in visited]
        problems += [f"{where}: never reached {describe(w)}" for w in missed]
    return problems


def test_tab_leaves_every_table_and_comes_back_around(qtbot, today_kit):
    window = shown_window(qtbot, today_kit)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_page(0)
    qtbot.waitUntil(lambda: window.nav.focusPolicy() != Qt.NoFocus)
    others = _walk(qtbot, window, [LEIDEN, UITDRAAIEN])
    if others:
        print("Tab on Leiden and Uitdraaien (other helpers' pages):\n" + "\n".join(others))
    problems = _walk(qtbot, window, [i for i in range(window.page_count) if i not in (LEIDEN, UITDRAAIEN)])
    assert not problems, "\n".join(problems)


def test_tab_leaves_the_hub_tables(qtbot, hub, tmp_path):
    keys.export_hub_key(hub, tmp_path / "hub-sleutel.wijkhub", "Gemeente Veldhorst")  # the app opens on a hub
    window = shown_window(qtbot, hub)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_page(5)
    qtbot.waitUntil(lambda: window.nav.focusPolicy() != Qt.NoFocus)
    problems = _walk(qtbot, window, [5])
    assert not problems, "\n".join(problems)


def test_on_the_agenda_tab_tab_goes_as_the_eye_reads(qtbot, today_kit):
    """The table first, then its buttons, then "Opnieuw beginnen met een sjabloon…" below them: that
    button came first, before the table, since each meeting's editor joined the focus chain after it."""
    window = shown_window(qtbot, today_kit)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_page(1)
    plan = window.page(1)
    for _meeting in range(2):  # also after another meeting was chosen (a new editor)
        plan.tabs.setCurrentIndex(1)
        editor = plan.agenda_editor
        qtbot.waitUntil(editor.table.isVisible)
        bar = plan.tabs.tabBar()
        bar.setFocus(Qt.TabFocusReason)
        qtbot.waitUntil(lambda bar=bar: QApplication.focusWidget() is bar)
        order = []
        while QApplication.focusWidget() is not plan.replace_button and len(order) < 20:
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
            order.append(QApplication.focusWidget())
        assert order[0] is editor.table, describe(order[0])
        assert order.index(editor.down_button) < order.index(plan.replace_button)
        plan.series_view.setCurrentIndex(plan.series_view.model().index(0, 0))
