"""Invitations and feedback through every channel, on the screens (issue 18): the material of a
channel opened from Plannen > Uitnodigingen and Mensen > Opvolging by keyboard and mouse, the text
edited and copied, the e-mail draft saved through the file dialog (in Bcc to people with Contact
consent only), the draft refused with the core's reason when nobody may be mailed, what a meeting
lacks said above the text, and the feedback marked as sent per meeting."""

from __future__ import annotations

import email
import email.policy
from datetime import date

import pytest

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from tests.ui.modal import answer_modal
from wijkkit.i18n import gettext, ngettext
from wijkkit.outreach import NoRecipientsError

from ui import background
from ui.pages import outreach_dialog
from ui.pages.outreach_dialog import MaterialDialog


def _upcoming(kit):
    return next(s for s in kit.sessions.list() if s.status == "planned")


def _held(kit):
    return next(s for s in kit.sessions.list() if s.status == "held")


def _invitations(qtbot, plan, session_id: str):
    """Plannen > Uitnodigingen of a meeting, the tab chosen with the mouse."""
    plan.select_session(session_id)
    bar = plan.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(2).center())
    assert plan.tabs.currentIndex() == 2
    return plan.preparation


def _press(qtbot, button) -> None:
    """Give ``button`` the focus and press Space on whatever has the focus, as a keyboard user does."""
    button.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is button)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Space)


def _modal_dialog() -> MaterialDialog:
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, MaterialDialog)
    return dialog


@pytest.mark.parametrize("channel", ["message", "newsletter"])
def test_a_text_is_opened_by_keyboard_edited_and_copied(qtbot, plan, channel):
    prep = _invitations(qtbot, plan, _upcoming(plan.kit).id)
    seen = {}

    def answer(_dialog) -> None:
        dialog = _modal_dialog()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.text)  # ready to type in
        assert dialog.text.accessibleName() == gettext("Text")  # named by its visible label
        original = dialog.text.toPlainText()
        assert "Dorpshuis De Schakel" in original  # the meeting's place, from the core
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_End, Qt.ControlModifier)
        qtbot.keyClicks(QApplication.focusWidget(), " Tot dan!")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)  # Tab leaves the text: no trap
        assert QApplication.focusWidget() is dialog.copy_button
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Space)
        seen.update(clipboard=QGuiApplication.clipboard().text(), original=original, status=dialog.status.text(),
                    title=dialog.windowTitle(), save=dialog.save_button.isVisible())  # fmt: skip
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Escape)

    answer_modal(lambda: _press(qtbot, prep.outreach.buttons[channel]), answer)
    assert seen["clipboard"] == seen["original"] + " Tot dan!"
    assert seen["status"] == gettext("Copied. Paste it with Ctrl+V where you want it.")
    assert plan.kit.sessions.get(_upcoming(plan.kit).id).title in seen["title"]
    assert not seen["save"]  # only the e-mail is saved as a draft


def test_an_email_draft_is_saved_through_the_file_dialog(qtbot, plan, tmp_path, monkeypatch):
    kit = plan.kit
    session = _upcoming(kit)
    prep = _invitations(qtbot, plan, session.id)
    assert "(" not in prep.rows["email"].used.text()  # no draft prepared yet
    target = tmp_path / "uitnodiging"  # typed without the extension
    asked = []
    monkeypatch.setattr(outreach_dialog, "save_file_name",
                        lambda _parent, caption, suggested, filters: asked.append(suggested) or (str(target), filters))  # fmt: skip
    allowed = {r.email for r in kit.outreach.recipients(session.id, "invite")}
    seen = {}

    def answer(_dialog) -> None:
        dialog = _modal_dialog()
        assert dialog.recipients.text() == ngettext("To {n} person who agreed to be contacted, in Bcc.",
                                                    "To {n} people who agreed to be contacted, in Bcc.",
                                                    len(allowed)).format(n=len(allowed))  # fmt: skip
        assert dialog.recipients.isVisible() and not dialog.nobody.isVisible()
        assert dialog.subject.accessibleName() == gettext("Subject")
        dialog.subject.selectAll()
        qtbot.keyClicks(dialog.subject, "Kom ook naar de buurtavond")
        dialog.text.setFocus()
        qtbot.keyClick(dialog.text, Qt.Key_Home, Qt.ControlModifier)
        qtbot.keyClicks(dialog.text, "Beste buren, ")
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
        background.wait()
        qtbot.waitUntil(lambda: dialog.draft is not None)
        seen.update(draft=dialog.draft, status=dialog.status.text())
        qtbot.mouseClick(dialog.close_button, Qt.LeftButton)

    answer_modal(lambda: qtbot.mouseClick(prep.outreach.buttons["email"], Qt.LeftButton), answer)
    path = tmp_path / "uitnodiging.eml"
    assert seen["draft"].path == path and seen["draft"].recipients == len(allowed) > 0
    assert str(path) in seen["status"]
    assert asked[0].endswith(".eml") and ":" not in asked[0]  # a name every system accepts
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.strict)
    assert message["Subject"] == "Kom ook naar de buurtavond"
    assert message["To"] is None and message["Cc"] is None
    assert {a.addr_spec for a in message["Bcc"].addresses} == allowed
    body = message.get_body(("plain",)).get_content()
    assert body.startswith("Beste buren, ")
    kinds = {part.get_content_type() for part in message.iter_attachments()}
    assert kinds == {"application/pdf", "text/calendar"}
    # the grid's e-mail row says a draft was prepared, today
    assert date.today().strftime("%-d-%-m-%Y") in prep.rows["email"].used.text()
    assert kit.outreach.invitation_prepared(session.id) == date.today().isoformat()


def test_a_draft_that_cannot_be_written_says_why_and_stays_open(qtbot, plan, tmp_path, monkeypatch):
    prep = _invitations(qtbot, plan, _upcoming(plan.kit).id)
    target = tmp_path / "missing folder" / "uitnodiging.eml"
    monkeypatch.setattr(outreach_dialog, "save_file_name", lambda *a: (str(target), ""))
    seen = {}

    def answer(_dialog) -> None:
        dialog = _modal_dialog()
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
        background.wait()
        qtbot.waitUntil(lambda: dialog.error.isVisible())
        seen.update(error=dialog.error.text(), enabled=dialog.save_button.isEnabled(), open=dialog.isVisible())

    answer_modal(lambda: qtbot.mouseClick(prep.outreach.buttons["email"], Qt.LeftButton), answer)
    assert str(target) in seen["error"] and seen["enabled"] and seen["open"]
    assert not target.exists()
    assert plan.kit.outreach.invitation_prepared(_upcoming(plan.kit).id) is None  # nothing recorded


def test_nobody_to_mail_disables_the_draft_and_says_why(qtbot, plan, monkeypatch):
    kit = plan.kit
    start = _upcoming(kit).starts_at[:10]
    alone = kit.sessions.add("Buurtkoffie", f"{start}T10:00", f"{start}T11:30")  # no neighbourhood, no place
    with pytest.raises(NoRecipientsError) as refused:
        kit.outreach.write_email(alone, "invite", plan.kit.path.parent / "never.eml")
    prep = _invitations(qtbot, plan, alone)
    monkeypatch.setattr(outreach_dialog, "save_file_name", lambda *a: pytest.fail("no file may be asked for"))
    seen = {}

    def answer(_dialog) -> None:
        dialog = _modal_dialog()
        seen.update(enabled=dialog.save_button.isEnabled(), why=dialog.nobody.text(), shown=dialog.nobody.isVisible(),
                    missing=dialog.missing.text(), recipients=dialog.recipients.isVisible())  # fmt: skip

    answer_modal(lambda: _press(qtbot, prep.outreach.buttons["email"]), answer)
    assert not seen["enabled"] and seen["shown"] and not seen["recipients"]
    assert seen["why"] == refused.value.localized()  # the core's own reason
    assert gettext("place") in seen["missing"]  # what the meeting lacks, above the text
    assert not (plan.kit.path.parent / "never.eml").exists()


def test_a_meeting_without_date_says_so_above_the_text(qtbot, today_kit):
    from ui.app import make_application
    from ui.bridge import KitBridge

    make_application("nl")
    kit = today_kit
    undated = kit.insert("session", {"title": "Zonder datum", "neighbourhood_id": _held(kit).neighbourhood_id})
    missing = kit.outreach.material(undated, "invite").missing
    assert gettext("date") in missing
    dialog = MaterialDialog(kit, KitBridge(kit), undated, "invite", "message")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.missing.isVisible()
    assert ", ".join(missing) in dialog.missing.text()
    note, text = dialog.missing.geometry(), dialog.text.geometry()
    assert note.bottom() < text.top()  # above the text, not over it
    assert gettext("date to follow") in dialog.text.toPlainText()


@pytest.fixture
def followup(qtbot, window):
    """Mensen > Opvolging opened with the mouse, at 1024x768."""
    window.resize(1024, 768)
    nav = window.nav
    qtbot.mouseClick(nav.viewport(), Qt.LeftButton, pos=nav.visualItemRect(nav.item(3)).center())
    people = window.current_page()
    bar = people.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(people.tabs.indexOf(people.followup)).center())
    return people.followup


def _row(tab, session_id: str) -> int:
    return next(r for r in range(tab.feedback.rowCount()) if tab.feedback.record(r).session.id == session_id)


def test_feedback_is_marked_as_sent_and_shows_in_the_list(qtbot, followup):
    from ui.models.records import FONT

    tab, kit = followup, followup.kit
    held = _held(kit)
    row = _row(tab, held.id)
    model = tab.feedback
    assert {model.record(r).session.status for r in range(model.rowCount())} == {"held"}
    assert model.index(row, 1).data() == gettext("not yet")
    assert model.data(model.index(row, 0), FONT).bold()  # seen at a glance: no feedback yet
    tab.feedback_view.scrollTo(model.index(row, 0))
    qtbot.mouseClick(tab.feedback_view.viewport(), Qt.LeftButton,
                     pos=tab.feedback_view.visualRect(model.index(row, 0)).center())  # fmt: skip
    assert tab.chosen_feedback().session.id == held.id
    tab.feedback_channel.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Down)  # e-mail -> message
    assert tab.feedback_channel.currentData() == "message"
    tab.sent_on.setFocus()
    field = QApplication.focusWidget()
    field.selectAll()
    qtbot.keyClicks(field, "1-12")
    qtbot.keyClick(field, Qt.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "25")  # the reach field is next
    qtbot.mouseClick(tab.mark_button, Qt.LeftButton)
    state = kit.outreach.feedback_state(held.id)["message"]
    assert (state.sent_on, state.reach) == (f"{date.today().year}-12-01", 25)
    row = _row(tab, held.id)
    assert model.index(row, 1).data() == gettext("sent")
    assert model.index(row, 3).data() == gettext("sent {date}").format(date=f"1-12-{date.today().year}")
    assert not model.data(model.index(row, 0), FONT)
    assert tab.chosen_feedback().session.id == held.id  # the same meeting stays chosen


def test_feedback_material_opens_from_opvolging(qtbot, followup):
    tab, kit = followup, followup.kit
    held = _held(kit)
    tab.feedback_view.setCurrentIndex(tab.feedback.index(_row(tab, held.id), 0))
    seen = {}

    def answer(_dialog) -> None:
        dialog = _modal_dialog()
        seen.update(purpose=dialog.purpose, text=dialog.text.toPlainText(), session=dialog.session_id,
                    recipients=dialog.recipients.text())  # fmt: skip

    answer_modal(lambda: qtbot.mouseClick(tab.feedback_material.buttons["email"], Qt.LeftButton), answer)
    assert (seen["purpose"], seen["session"]) == ("feedback", held.id)
    assert seen["text"] == kit.outreach.material(held.id, "feedback").body
    count = len(kit.outreach.recipients(held.id, "feedback"))
    assert str(count) in seen["recipients"]
