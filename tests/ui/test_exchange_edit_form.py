"""Sorting out offers and needs in Aanbod en vraag, through the real widgets: what was captured
live arrives as 'anders' without a person; choosing it in its list opens it in the edit form,
where words, category and person are corrected, and the matches follow."""

from __future__ import annotations

from datetime import datetime

import pytest

from PySide6.QtCore import Qt

from tests.ui.keys import type_text

CAPTURED = "Wie kan mij helpen met rijden?"


@pytest.fixture
def exchange(qtbot, today_kit):
    from ui.app import make_application
    from ui.bridge import KitBridge
    from ui.pages.people.exchange_tab import ExchangeTab

    make_application("nl")
    bridge = KitBridge(today_kit)
    held = next(s for s in today_kit.sessions.list() if s.status == "held")
    today_kit.live.capture(held.id, "offer", "Ik kan rijden met de aanhanger", datetime.now().astimezone())
    today_kit.live.capture(held.id, "need", CAPTURED, datetime.now().astimezone())
    tab = ExchangeTab(today_kit, bridge, datetime.now)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    qtbot.waitExposed(tab)
    yield tab
    bridge.close()


def row_of(model, text: str) -> int:
    (row,) = [r for r in range(model.rowCount()) if model.record(r).text == text]
    return row


def click_row(qtbot, view, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=rect.center())


def shown(model, row: int) -> list[str]:
    return [model.index(row, column).data() for column in range(model.columnCount())]


def match_labels(tab) -> list[str]:
    return [tab.matches.index(r, 0).data() for r in range(tab.matches.rowCount())]


def test_a_captured_offer_gets_a_category_and_a_person_and_then_matches(qtbot, exchange, today_kit):
    kit, form = today_kit, exchange.edit_form
    offer_text = "Ik kan rijden met de aanhanger"
    for view in (exchange.offer_view, exchange.need_view):
        view.selectionModel().clear()
    assert not form.text.isEnabled() and not exchange.save_button.isEnabled()  # nothing chosen: nothing to save
    assert exchange.edit_hint.text() == "Kies een aanbod of een vraag in de lijsten om die aan te passen."
    row = row_of(exchange.offers, offer_text)
    assert shown(exchange.offers, row) == [offer_text, "anders", "", "open"]
    assert match_labels(exchange) == [  # the captured 'anders' items do not match each other
        "Op zaterdag kan ik mensen met de auto naar de markt brengen. ↔ Vervoer naar de weekmarkt op zaterdag. "
        "(vervoer)"]  # fmt: skip

    exchange.offer_view.setFocus()
    click_row(qtbot, exchange.offer_view, row)
    assert exchange.edit_hint.text() == "Een aanbod aanpassen."
    assert (form.text.text(), form.category.currentText(), form.person.currentText()) == (
        offer_text, "anders", "(niemand)")  # fmt: skip
    qtbot.keyClick(exchange.offer_view, Qt.Key_Return)  # Enter puts the cursor in the edit form
    assert form.text.hasFocus() and form.text.selectedText() == offer_text
    type_text(form.text, "Ik rijd op zaterdag, ook met een aanhanger")
    form.category.setFocus()
    qtbot.keyClicks(form.category, "vervoer")
    form.person.setFocus()
    qtbot.keyClicks(form.person, "Henk")
    assert (form.category.currentData(), form.person.currentText()) == ("vervoer", "Henk Oosterhuis")
    form.text.setFocus()
    qtbot.keyClick(form.text, Qt.Key_Return)  # Enter saves

    assert exchange.saved_note.text() == "Opgeslagen." and form.error_text("text") == ""
    (offer,) = [o for o in kit.exchange.offers() if o.text.startswith("Ik rijd op zaterdag")]
    assert (offer.category, offer.person_name, offer.status) == ("vervoer", "Henk Oosterhuis", "open")
    row = row_of(exchange.offers, offer.text)
    assert shown(exchange.offers, row) == [offer.text, "vervoer", "Henk Oosterhuis", "open"]
    assert exchange.offer_view.currentIndex().row() == row  # still chosen, still in the form
    assert form.text.text() == offer.text and exchange.edit_hint.text() == "Een aanbod aanpassen."
    assert f"{offer.text} ↔ Vervoer naar de weekmarkt op zaterdag. (vervoer)" in match_labels(exchange)
    assert exchange.matches.rowCount() == 2 and not exchange.empty_matches.isVisible()


def test_a_captured_need_is_sorted_out_with_the_save_button(qtbot, exchange, today_kit):
    kit, form = today_kit, exchange.edit_form
    click_row(qtbot, exchange.offer_view, 0)
    click_row(qtbot, exchange.need_view, row_of(exchange.needs, CAPTURED))
    assert exchange.edit_hint.text() == "Een vraag aanpassen." and form.text.text() == CAPTURED
    assert not exchange.offer_view.selectionModel().hasSelection()  # one item in the form, one row chosen
    form.category.setCurrentIndex(form.category.findData("digitale_hulp"))
    form.person.setCurrentIndex(form.person.findText("Anneke Bosma"))
    qtbot.mouseClick(exchange.save_button, Qt.LeftButton)
    (need,) = [n for n in kit.exchange.needs() if n.text == CAPTURED]
    assert (need.category, need.person_name) == ("digitale_hulp", "Anneke Bosma")
    assert any(label.startswith("Ik help met de computer") and label.endswith(f"{CAPTURED} (digitale hulp)")
               for label in match_labels(exchange))  # fmt: skip

    form.person.setCurrentIndex(0)  # and the person can be taken off again
    qtbot.mouseClick(exchange.save_button, Qt.LeftButton)
    assert kit.exchange.item("need", need.id).person_id is None


def test_an_empty_text_is_refused_at_the_field_and_nothing_is_saved(qtbot, exchange, today_kit):
    kit, form = today_kit, exchange.edit_form
    row = row_of(exchange.needs, CAPTURED)
    click_row(qtbot, exchange.need_view, row)
    before = kit.query("SELECT * FROM need ORDER BY id"), kit.query("SELECT * FROM _field_version ORDER BY 1, 2, 3")
    form.category.setCurrentIndex(form.category.findData("vervoer"))
    form.text.setFocus()
    form.text.selectAll()
    qtbot.keyClick(form.text, Qt.Key_Delete)
    qtbot.keyClick(form.text, Qt.Key_Return)
    assert form.error_text("text") == "Beschrijf het in een paar woorden."
    assert form.text.hasFocus() and exchange.saved_note.text() == ""
    assert (kit.query("SELECT * FROM need ORDER BY id"),
            kit.query("SELECT * FROM _field_version ORDER BY 1, 2, 3")) == before  # nothing half-saved: not the category
    type_text(form.text, "Vervoer naar de huisarts")
    qtbot.mouseClick(exchange.save_button, Qt.LeftButton)
    assert form.error_text("text") == "" and exchange.saved_note.text() == "Opgeslagen."
    (need,) = [n for n in kit.exchange.needs() if n.text == "Vervoer naar de huisarts"]
    assert need.category == "vervoer"


def test_the_form_keeps_its_item_while_the_lists_change(qtbot, exchange, today_kit):
    click_row(qtbot, exchange.need_view, row_of(exchange.needs, CAPTURED))
    add = exchange.offer_form
    type_text(add.text, "Ik kan koken voor een buur")
    qtbot.keyClick(add.text, Qt.Key_Return)
    assert exchange.offers.rowCount() == 5 and exchange.edit_form.text.text() == CAPTURED
    assert exchange.need_view.currentIndex().row() == row_of(exchange.needs, CAPTURED)
    exchange.edit_form.text.setText("Andere woorden")
    exchange.refresh()  # as after any change elsewhere: the form shows what is stored
    assert exchange.edit_form.text.text() == CAPTURED
