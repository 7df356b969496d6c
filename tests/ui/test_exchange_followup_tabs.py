"""Aanbod en vraag, Hobbels and Opvolging, driven through their widgets on the demo village."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from tests.ui.modal import answer_modal
from wijkkit.exchange import CATEGORIES, MATCH_TITLE
from wijkkit.i18n import current_language, gettext
from wijkkit.kit import Kit
from wijkkit.models import OPEN_AGREEMENT_STATUSES

OVERDUE_TITLE = "Digitaal spreekuur starten in de bibliotheekhoek"


def _held(kit: Kit):
    return next(s for s in kit.sessions.list() if s.status == "held")


def _titles(model) -> list[str]:
    return [model.record(row).title for row in range(model.rowCount())]


@pytest.fixture
def make_tab(qtbot, today_kit):
    """Build one tab on the demo village, on its own bridge, shown at a laptop's size."""
    from ui.app import make_application
    from ui.bridge import KitBridge

    make_application("nl")
    bridge = KitBridge(today_kit)

    def make(cls):
        tab = cls(today_kit, bridge, datetime.now)
        qtbot.addWidget(tab)
        tab.resize(1300, 800)
        tab.show()
        qtbot.waitExposed(tab)
        return tab

    yield make
    bridge.close()


@pytest.fixture
def exchange(make_tab):
    from ui.pages.people.exchange_tab import ExchangeTab

    return make_tab(ExchangeTab)


def _fill(qtbot, form, text: str, category: str, person: str) -> None:
    qtbot.keyClicks(form.text, text)
    form.category.setCurrentIndex(form.category.findData(category))
    form.person.setCurrentIndex(form.person.findText(person))
    qtbot.mouseClick(form.button, Qt.LeftButton)


def _add_odd_jobs_match(qtbot, exchange) -> None:
    _fill(qtbot, exchange.offer_form, "Ik help graag met kleine klussen in huis.", "klussen", "Henk Oosterhuis")
    _fill(qtbot, exchange.need_form, "Mijn schuurdeur klemt.", "klussen", "Anneke Bosma")


def _match_row(exchange, category: str) -> int:
    rows = [r for r in range(exchange.matches.rowCount()) if exchange.matches.record(r).offer.category == category]
    assert len(rows) == 1
    return rows[0]


def test_an_offer_and_a_need_of_one_category_make_a_match(qtbot, exchange, today_kit):
    kit = today_kit
    assert exchange.matches.rowCount() == len(kit.exchange.matches()) == 1  # the demo's transport match
    _add_odd_jobs_match(qtbot, exchange)
    offer = next(o for o in kit.exchange.offers() if o.category == "klussen")
    need = next(n for n in kit.exchange.needs() if n.category == "klussen")
    assert (offer.person_name, need.person_name) == ("Henk Oosterhuis", "Anneke Bosma")
    assert offer.session_id == need.session_id == _held(kit).id  # the meeting where it came up
    assert exchange.offer_form.text.text() == "" and exchange.need_form.text.text() == ""
    assert exchange.offers.rowCount() == 4 and exchange.needs.rowCount() == 4
    assert exchange.matches.rowCount() == 2
    label = exchange.matches.index(_match_row(exchange, "klussen"), 0).data()
    assert label == f"{offer.text} ↔ {need.text} ({gettext(CATEGORIES['klussen'])})"


def test_make_agreement_for_a_match_marks_both_matched(qtbot, exchange, today_kit):
    kit = today_kit
    _add_odd_jobs_match(qtbot, exchange)
    match = exchange.matches.record(_match_row(exchange, "klussen"))
    due = datetime.now().date() + timedelta(days=30)
    agreement_id = exchange.make_agreement_for(_match_row(exchange, "klussen"), "Henk maakt de schuurdeur", due,
                                               "Dorpsbelang Ellerveen")  # fmt: skip
    agreement = kit.agreements.get(agreement_id)
    assert (agreement.offer_id, agreement.need_id) == (match.offer.id, match.need.id)
    assert agreement.session_id == match.need.session_id and agreement.due_on == due.isoformat()
    assert agreement.owner_name == "Henk Oosterhuis" and agreement.partners == "Dorpsbelang Ellerveen"
    assert kit.exchange.item("offer", match.offer.id).status == "matched"
    assert kit.exchange.item("need", match.need.id).status == "matched"
    assert [m.offer.category for m in kit.exchange.matches()] == ["vervoer"]
    assert exchange.matches.rowCount() == 1  # the match disappeared from the list
    assert exchange.make_agreement_for(5, "Geen koppeling", due) is None


def test_the_agreement_dialog_keeps_a_refusal_open_and_then_saves(qtbot, exchange, today_kit):
    kit = today_kit
    before = len(kit.agreements.list())
    exchange.match_view.setCurrentIndex(exchange.matches.index(0, 0))
    seen: dict[str, object] = {}

    def answer(dialog):
        seen["title"] = dialog.title.text()
        seen["people"] = dialog.findChild(QLabel, "matchPeople").text()
        seen["due"] = dialog.due.date()
        dialog.title.clear()
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok).click()
        assert dialog.isVisible(), "an agreement without a title must not be accepted"
        seen["error"] = dialog.findChild(QLabel, "formError").text()
        qtbot.keyClicks(dialog.title, "Henk rijdt op zaterdag naar de markt")
        qtbot.keyClicks(dialog.partners, "Vervoerscommissie")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok).click()
        assert not dialog.isVisible()

    answer_modal(lambda: qtbot.mouseClick(exchange.agreement_button, Qt.LeftButton), answer)
    transport = gettext(CATEGORIES["vervoer"])
    assert seen["title"] == gettext(MATCH_TITLE).format(topic=transport)  # no names: the links name the people
    assert "Henk Oosterhuis" in seen["people"] and "Zoë van 't Hof-Dijkstra" in seen["people"]
    assert seen["due"] == QDate.currentDate().addDays(30)
    assert seen["error"] == "Een afspraak heeft een titel nodig."
    made = next(a for a in kit.agreements.list() if a.title == "Henk rijdt op zaterdag naar de markt")
    assert len(kit.agreements.list()) == before + 1 and made.partners == "Vervoerscommissie"
    assert made.offer_id and made.need_id
    assert exchange.matches.rowCount() == 0 and exchange.empty_matches.isVisible()
    assert not exchange.agreement_button.isEnabled()


def test_an_empty_offer_shows_the_error_and_saves_nothing(qtbot, exchange, today_kit):
    before = len(today_kit.exchange.offers())
    qtbot.keyClicks(exchange.offer_form.text, "   ")
    qtbot.mouseClick(exchange.offer_form.button, Qt.LeftButton)
    assert len(today_kit.exchange.offers()) == before
    # the core's message in the catalogue's Dutch, at the text field, which gets the focus
    assert current_language() == "nl"
    assert exchange.offer_form.error_text("text") == gettext("Describe it in a few words.")
    assert exchange.offer_form.text.hasFocus()


# -- Opvolging --------------------------------------------------------------------------------


@pytest.fixture
def followup(make_tab):
    from ui.pages.people.followup_tab import FollowUpTab

    return make_tab(FollowUpTab)


def test_the_lists_show_late_agreements_and_what_to_discuss_next_time(followup, today_kit):
    kit = today_kit
    assert _titles(followup.overdue) == [OVERDUE_TITLE]
    held = _held(kit)
    still_open = {a.title for a in kit.agreements.for_session(held.id) if a.status in OPEN_AGREEMENT_STATUSES}
    assert len(still_open) == 5 and set(_titles(followup.review)) == still_open
    following = kit.sessions.next_planned(datetime.now())
    assert following.title in followup.review_heading.text() and followup.review_view.isVisible()

    kit.sessions.edit(following.id, status="cancelled")
    assert followup.review.rowCount() == 0 and not followup.review_view.isVisible()
    assert followup.review_heading.text().startswith("Er is nog geen volgende bijeenkomst gepland.")


def test_ticking_a_task_with_space_records_when_it_was_done(qtbot, followup, today_kit):
    kit = today_kit
    assert followup.session.currentData() == _held(kit).id
    row = next(r for r in range(followup.tasks.rowCount()) if not followup.tasks.item(r).done_on)
    task_id = followup.tasks.item(row).id
    followup.task_list.setFocus()
    followup.task_list.setCurrentIndex(followup.tasks.index(row, 0))
    qtbot.keyClick(followup.task_list, Qt.Key_Space)
    done = next(t for t in kit.followups.for_session(_held(kit).id) if t.id == task_id)
    assert done.done_on == datetime.now().date().isoformat()
    row = next(r for r in range(followup.tasks.rowCount()) if followup.tasks.item(r).id == task_id)
    assert followup.tasks.index(row, 0).data(Qt.CheckStateRole) == Qt.Checked
    followup.task_list.setCurrentIndex(followup.tasks.index(row, 0))
    qtbot.keyClick(followup.task_list, Qt.Key_Space)
    assert next(t for t in kit.followups.for_session(_held(kit).id) if t.id == task_id).done_on is None


def test_own_tasks_and_the_usual_tasks_once(qtbot, followup, today_kit):
    kit = today_kit
    yesterday = datetime.now().date() - timedelta(days=1)
    evening = kit.sessions.add("Extra avond", f"{yesterday}T19:30", f"{yesterday}T21:30", status="held")
    qtbot.mouseClick(followup.usual_button, Qt.LeftButton)
    assert followup.session.currentData() == evening
    tasks = kit.followups.for_session(evening)
    assert sorted(t.kind for t in tasks) == ["feedback", "next_meeting", "report"]
    assert min(t.due_on for t in tasks) == (yesterday + timedelta(days=7)).isoformat()
    qtbot.mouseClick(followup.usual_button, Qt.LeftButton)
    assert len(kit.followups.for_session(evening)) == 3 and followup.tasks.rowCount() == 3

    qtbot.mouseClick(followup.add_button, Qt.LeftButton)  # no title yet
    assert followup.task_error.isVisible() and len(kit.followups.for_session(evening)) == 3
    qtbot.keyClicks(followup.task_title, "Foto's naar de dorpskrant")
    followup.task_due.setDate(QDate(yesterday.year, yesterday.month, yesterday.day).addDays(10))
    qtbot.mouseClick(followup.add_button, Qt.LeftButton)
    own = next(t for t in kit.followups.for_session(evening) if t.kind == "task")
    assert own.title == "Foto's naar de dorpskrant" and own.due_on == (yesterday + timedelta(days=10)).isoformat()
    assert followup.tasks.rowCount() == 4 and not followup.task_error.isVisible()


# -- Hobbels ----------------------------------------------------------------------------------


@pytest.fixture
def obstacles(make_tab):
    from ui.pages.people.obstacles_tab import ObstaclesTab

    return make_tab(ObstaclesTab)


def test_an_obstacle_from_the_form_appears_with_who_could_take_it_up(qtbot, obstacles, today_kit):
    kit = today_kit
    assert obstacles.session.currentData() == _held(kit).id
    form = obstacles.form
    qtbot.keyClicks(form.text, "Het dorpshuis is 's avonds slecht verlicht.")
    form.category.setCurrentIndex(form.category.findData("ontmoeten"))
    qtbot.keyClicks(form.addressed_by, "  Dorpsbelang Ellerveen ")
    qtbot.mouseClick(obstacles.add_button, Qt.LeftButton)
    added = next(o for o in kit.exchange.obstacles() if o.text.startswith("Het dorpshuis"))
    assert (added.category, added.addressed_by, added.session_id) == ("ontmoeten", "Dorpsbelang Ellerveen",
                                                                      _held(kit).id)  # fmt: skip
    rows = [r for r in range(obstacles.model.rowCount()) if obstacles.model.record(r).id == added.id]
    assert len(rows) == 1 and obstacles.model.rowCount() == 4
    shown = [obstacles.model.index(rows[0], c).data() for c in range(4)]
    assert shown[2:] == ["Dorpsbelang Ellerveen", _held(kit).title]

    obstacles.table.setFocus()
    obstacles.table.selectRow(rows[0])
    assert obstacles.edit_form.text.text() == added.text
    qtbot.keyClick(obstacles.table, Qt.Key_Return)  # Enter puts the cursor in the edit form
    assert obstacles.edit_form.text.hasFocus()
    obstacles.edit_form.addressed_by.clear()
    qtbot.keyClicks(obstacles.edit_form.addressed_by, "Gemeente Veldhorst")
    qtbot.mouseClick(obstacles.save_button, Qt.LeftButton)
    assert kit.exchange.item("obstacle", added.id).addressed_by == "Gemeente Veldhorst"
    assert obstacles.edit_form.text.text() == added.text  # still the same obstacle chosen

    qtbot.mouseClick(obstacles.add_button, Qt.LeftButton)  # an empty obstacle is refused
    assert obstacles.form.error_text("text") and obstacles.model.rowCount() == 4
