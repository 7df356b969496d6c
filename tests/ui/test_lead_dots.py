"""Leiden > Stippen by keyboard (issue 18, part 3): the dots typed into the table rank the dreams and ideas
at once, the chosen ones become draft agreements (once), and the ranking goes on the projector without
the name of anyone who did not agree to share. What is typed in the dots field never moves the clock."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QSpinBox

from tests.ui.test_lead_page import START, _events, lead, steady  # noqa: F401 - the Leiden page's fixtures
from wijkkit.i18n import _

from ui.pages.lead.dots_panel import CHOOSE, DOTS

SECRET = "Henk Oosterhuis"  # registered without consent to share

DREAMS = (("dream", "Een koffieochtend voor iedereen"), ("idea", "Een klussenlijst bij de bakker"),
          ("dream", f"Dat {SECRET} weer naar de markt kan"))  # fmt: skip


def _captured(qtbot, lead):  # noqa: F811
    """Three dreams and ideas captured in the running step; the Stippen tab shown, the keyboard in its table."""
    kit, session = lead.kit, lead.session_id
    kit.people.add(SECRET, consent_share=0)
    step = kit.sessions.steps(session)[0].id
    for n, (kind, text) in enumerate(DREAMS):
        kit.live.capture(session, kind, text, START + timedelta(minutes=n), step)
    panel = lead.dots
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3)
    lead.side.setCurrentWidget(panel)
    panel.table.setFocus()
    return panel


def _type(qtbot, *keys) -> None:
    """Each key to whichever widget has the keyboard at that moment (the table, then its number field)."""
    for key in keys:
        qtbot.keyClick(QApplication.focusWidget(), key)


def _row(panel, text: str) -> int:
    return next(r for r, c in enumerate(panel.model.rows) if c.text == text)


def _order(panel) -> list[tuple[str, str, str]]:
    model = panel.model
    return [(model.index(r, 0).data(), model.index(r, DOTS).data(), model.rows[r].text) for r in range(model.rowCount())]


def test_dots_typed_in_the_table_rank_the_dreams_and_the_chosen_become_agreements(qtbot, lead, steady):  # noqa: F811
    panel = _captured(qtbot, lead)
    table = panel.table
    assert table.currentIndex().row() == 0 and table.currentIndex().column() == DOTS
    _type(qtbot, Qt.Key_Down)  # the idea
    _type(qtbot, Qt.Key_4)  # typing a number opens the number field with it
    assert isinstance(QApplication.focusWidget(), QSpinBox)
    _type(qtbot, Qt.Key_Up, Qt.Key_Return)  # the arrows count: 5
    qtbot.waitUntil(lambda: _order(panel)[0][1] == "5")
    assert _order(panel)[0] == ("1", "5", "Een klussenlijst bij de bakker")  # up to first place
    assert panel.model.rows[table.currentIndex().row()].text == "Een klussenlijst bij de bakker"  # the keys follow it
    _type(qtbot, Qt.Key_Down, Qt.Key_7, Qt.Key_Return)  # the first dream: 7, it goes to the top
    qtbot.waitUntil(lambda: _order(panel)[0][1] == "7")
    _type(qtbot, Qt.Key_Down, Qt.Key_Down, Qt.Key_5, Qt.Key_Return)  # the last dream: 5, a tie with the idea
    qtbot.waitUntil(lambda: [r[:2] for r in _order(panel)] == [("1", "7"), ("2", "5"), ("2", "5")])
    assert [r[2] for r in _order(panel)] == ["Een koffieochtend voor iedereen", "Een klussenlijst bij de bakker",
                                             f"Dat {SECRET} weer naar de markt kan"]  # the tie in the order captured
    # choosing: Space in the Kiezen column ticks, Tab goes on to the button, Space makes the agreements
    table.setCurrentIndex(panel.model.index(0, DOTS))
    _type(qtbot, Qt.Key_Right)
    assert table.currentIndex().column() == CHOOSE
    assert not panel.make_button.isEnabled()
    _type(qtbot, Qt.Key_Space, Qt.Key_Down, Qt.Key_Space)
    assert panel.make_button.isEnabled()
    focus = []
    for _press in range(6):  # Tab leaves the table (no trap) and reaches the button
        _type(qtbot, Qt.Key_Tab)
        focus.append(QApplication.focusWidget())
        if focus[-1] is panel.make_button:
            break
    assert focus[-1] is panel.make_button, focus
    _type(qtbot, Qt.Key_Space)
    made = lead.kit.agreements.for_session(lead.session_id)
    assert sorted(a.title for a in made) == ["Een klussenlijst bij de bakker", "Een koffieochtend voor iedereen"]
    assert all(a.status == "open" and a.owner_person_id is None for a in made)
    assert "2" in panel.message.text()
    assert [panel.model.index(r, CHOOSE).data() for r in range(3)] == [_("agreement"), _("agreement"), ""]
    assert not panel.make_button.isEnabled()  # nothing ticked any more, and the made ones cannot be ticked
    assert not panel.model.flags(panel.model.index(0, CHOOSE)) & Qt.ItemIsUserCheckable


def test_typing_in_the_dots_field_never_moves_the_clock(qtbot, lead, steady):  # noqa: F811
    lead.act("toggle")  # the meeting runs: + would add a minute, the arrows change the step
    panel = _captured(qtbot, lead)
    before, countdown = _events(lead), lead.countdown.text()
    _type(qtbot, Qt.Key_1)
    field = QApplication.focusWidget()
    assert isinstance(field, QSpinBox)
    for key in (Qt.Key_2, Qt.Key_Space, Qt.Key_Plus, Qt.Key_Minus, Qt.Key_Equal, Qt.Key_Right, Qt.Key_Left,
                Qt.Key_Up, Qt.Key_Down, Qt.Key_E, Qt.Key_N, Qt.Key_P, Qt.Key_B):  # fmt: skip
        _type(qtbot, key)
        assert _events(lead) == before and lead.countdown.text() == countdown, key
    assert lead.projector is None or not lead.projector.isVisible()
    _type(qtbot, Qt.Key_Return)
    qtbot.waitUntil(lambda: any(r[1] for r in _order(panel)))
    # and in the table itself (not editing): + and - count one dot, Space ticks, the arrows move
    table = panel.table
    assert QApplication.focusWidget() is table
    counted = panel.model.rows[table.currentIndex().row()]
    assert counted.dots == 12
    for key in (Qt.Key_Plus, Qt.Key_Plus, Qt.Key_Equal, Qt.Key_Minus):
        _type(qtbot, key)
    qtbot.waitUntil(lambda: lead.kit.row("capture", counted.id)["dots"] == 14)
    assert QApplication.focusWidget() is table
    for key in (Qt.Key_Space, Qt.Key_Right, Qt.Key_Right, Qt.Key_Right, Qt.Key_Left, Qt.Key_Down, Qt.Key_Up):
        _type(qtbot, key)
    assert QApplication.focusWidget() is table
    assert _events(lead) == before and lead.countdown.text() == countdown
    assert lead.view.state.current == 0
    _type(qtbot, Qt.Key_Escape)  # Escape: the keys are the clock's again
    assert lead.hasFocus()
    _type(qtbot, Qt.Key_Plus)
    assert _events(lead) == [*before, "adjust"]


def test_the_dots_field_takes_no_more_than_999(qtbot, lead):  # noqa: F811
    panel = _captured(qtbot, lead)
    first = panel.model.rows[0].id
    _type(qtbot, Qt.Key_9, Qt.Key_9, Qt.Key_9, Qt.Key_9, Qt.Key_Return)  # the fourth 9 does not fit
    qtbot.waitUntil(lambda: lead.kit.row("capture", first)["dots"] == 999)
    assert not panel.message.text()


def test_the_ranking_on_the_projector_hides_a_name_not_shared(qtbot, lead):  # noqa: F811
    panel = _captured(qtbot, lead)
    for text, dots in ((DREAMS[2][1], 9), (DREAMS[0][1], 3)):  # the dream with the name first
        panel.table.setCurrentIndex(panel.model.index(_row(panel, text), DOTS))
        _type(qtbot, *(getattr(Qt, f"Key_{d}") for d in str(dots)), Qt.Key_Return)
        qtbot.waitUntil(lambda: any(r[1] == str(dots) for r in _order(panel)))  # noqa: B023
    panel.project_button.setFocus()
    _type(qtbot, Qt.Key_Space)
    projector = lead.projector
    qtbot.waitUntil(lambda: projector is not None and projector.isVisible())
    shown = projector.view
    assert shown.title == _("Chosen together") and shown.countdown == ""
    assert [(r.place, r.text) for r in shown.ranking] == [("1.", "Dat (naam niet gedeeld) weer naar de markt kan"),
                                                          ("2.", "Een koffieochtend voor iedereen")]  # fmt: skip
    assert projector.ranking.isVisible() and not projector.countdown.isVisible()
    said = projector.ranking.accessibleDescription()
    assert "Henk" not in said and "Oosterhuis" not in said and "naam niet gedeeld" in said
    lead.tick()  # the clock's tick keeps the ranking on the wall
    assert projector.view.ranking == shown.ranking
    # a new count reaches the wall at the next tick (the keyboard back on the laptop, as with a beamer beside it)
    lead.window().activateWindow()
    qtbot.waitUntil(lead.window().isActiveWindow)
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.model.index(_row(panel, DREAMS[1][1]), DOTS))
    _type(qtbot, Qt.Key_2, Qt.Key_0, Qt.Key_Return)
    qtbot.waitUntil(lambda: _order(panel)[0][1] == "20")
    lead.tick()
    assert projector.view.ranking[0].text == "Een klussenlijst bij de bakker"
    panel.project_button.setChecked(False)  # pressed again: the clock is back on the wall
    lead.tick()
    assert projector.view.ranking is None and projector.countdown.isVisible()


def test_ten_long_dreams_fit_the_wall_readably(qtbot):
    from PySide6.QtGui import QFontMetrics

    from ui.app import make_application
    from ui.projector import RANKING_SHARES, ProjectorView, ProjectorWindow, Ranked

    make_application("nl")
    rows = tuple(Ranked(f"{n + 1}.", "Een moestuin achter de school met bakken op hoogte " * 8, f"{20 - n} stippen")
                 for n in range(10))  # fmt: skip
    projector = ProjectorWindow()
    qtbot.addWidget(projector)
    for width, height in ((1024, 768), (1920, 1080)):
        projector.resize(width, height)
        projector.show()
        projector.show_view(ProjectorView(title="Samen gekozen", ranking=rows))
        QApplication.processEvents()
        board = projector.ranking
        font, lines, _places, _dots = board.layout_rows()
        spacing = QFontMetrics(font).lineSpacing()
        assert font.pixelSize() >= int(height * RANKING_SHARES[1]), (width, font.pixelSize())
        assert spacing * (sum(map(len, lines)) + 0.4 * len(lines)) <= board.height(), (width, board.height())
        assert all(len(texts) == 2 and texts[-1].endswith("…") for texts in lines)  # long: two lines, then cut


def test_a_dream_captured_meanwhile_does_not_take_the_count_being_typed(qtbot, lead):  # noqa: F811
    panel = _captured(qtbot, lead)
    first = panel.model.rows[0]
    _type(qtbot, Qt.Key_4)
    field = QApplication.focusWidget()
    assert isinstance(field, QSpinBox)
    lead.kit.live.capture(lead.session_id, "idea", "Een repair café", START + timedelta(minutes=9),
                          lead.kit.sessions.steps(lead.session_id)[1].id)  # fmt: skip
    qtbot.wait(50)
    assert QApplication.focusWidget() is field  # the number field stays open under the typing
    _type(qtbot, Qt.Key_2, Qt.Key_Return)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 4)
    assert lead.kit.row("capture", first.id)["dots"] == 42
    assert panel.step.count() == 3  # all steps, and the two steps with dreams or ideas
