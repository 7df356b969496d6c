"""The door form of Aanmelden fits a 1024x768 and a 1280x720 screen (issue 14, problem 3).

A reviewer found the Tafel field hidden below the form's scrolling box on both screens, with
empty room under the button. Shown in the main window at the client sizes of those screens,
every field down to Tafel and the button must be in sight without scrolling."""

from __future__ import annotations

import pytest

from PySide6.QtCore import QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ui.pages.people.fit import VerticalScroll


def open_door_form(qtbot, window):
    people = [i for i in range(window.page_count) if window.nav.item(i).text() == "Mensen en afspraken"][0]
    window.show_page(people)
    page = window.page(people)
    bar = page.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(page.tabs.indexOf(page.registration)).center())
    assert page.tabs.currentWidget() is page.registration
    return page.registration


@pytest.mark.parametrize("size", [(1024, 689), (1280, 641)])
@pytest.mark.parametrize("known", [False, True])
def test_every_field_of_the_door_form_is_in_sight(qtbot, window, size, known):
    window.resize(*size)
    tab = open_door_form(qtbot, window)
    if known:  # the note about stored details takes the place of the introduction
        tab.name.setFocus()
        QTest.keyClicks(QApplication.focusWidget(), tab.kit.people.list()[0].name)
        tab.name.completer().popup().hide()
        assert tab.known_note.isVisible()
    QApplication.processEvents()
    (scroll,) = [area for area in tab.findChildren(VerticalScroll) if area.widget().isAncestorOf(tab.name)]
    viewport = scroll.viewport()
    assert not scroll.verticalScrollBar().isVisible()  # nothing to scroll to
    for widget in (tab.name, tab.table_no, tab.form.labelForField(tab.table_no.parentWidget()), tab.register_button):
        shown = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
        assert window.rect().contains(shown), widget
        assert widget.visibleRegion().boundingRect() == widget.rect(), widget  # not covered nor cut off
        if viewport.isAncestorOf(widget):
            place = QRect(widget.mapTo(viewport, widget.rect().topLeft()), widget.size())
            assert viewport.rect().contains(place), widget
    for box in tab.consents.values():  # the whole wording of a consent is at hand, one line each
        assert box.toolTip() and box.parentWidget().height() <= 2 * box.sizeHint().height()
