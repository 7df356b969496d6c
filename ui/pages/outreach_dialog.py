"""The material of one channel for a meeting's invitation or feedback, to edit and send on.

Plannen > Uitnodigingen and Mensen > Opvolging show the same three buttons
(``MaterialButtons``): an e-mail draft, a short message for WhatsApp, Facebook or
the neighbourhood app, and a text for the local paper or newsletter. Each opens
``MaterialDialog`` with the core's Dutch text (kit.outreach), editable; "Kopiëren"
puts the edited text on the clipboard, and for e-mail "Opslaan als e-mailconcept…"
writes a draft .eml in Bcc to the people who agreed to be contacted. Writing the
draft renders PDFs, so it runs in a worker thread on a Kit of its own
(``in_worker``), and its changes reach every page through the bridge.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wijkkit.errors import KitError
from wijkkit.filenames import safe_name
from wijkkit.i18n import N_, _, gettext, ngettext
from wijkkit.kit import Kit

from .. import errors
from ..a11y import labelled
from ..bridge import KitBridge
from ..files import save_file_name
from ..widgets import heading, muted
from .sync.common import in_worker

CHANNEL_BUTTONS = {  # channel -> the button that opens its material
    "email": N_("E-mail draft…"),
    "message": N_("Short message…"),
    "newsletter": N_("Text for paper or newsletter…"),
}
TITLES = {
    "email": N_("E-mail draft"),
    "message": N_("Short message"),
    "newsletter": N_("Text for paper or newsletter"),
}
USES = {  # what each button is for, beside it; the e-mail's by purpose
    "invite": N_("A file for Outlook or Thunderbird, in Bcc to everyone who agreed to be contacted."),
    "feedback": N_("A file for Outlook or Thunderbird, in Bcc to participants who agreed to be contacted."),
    "message": N_("For WhatsApp, Facebook or the neighbourhood app."),
    "newsletter": N_("For the village paper, the neighbourhood paper or a newsletter."),
}
HINTS = {
    "email": N_("Change the text if you like. Save it as an e-mail draft, open that file in Outlook or "
                "Thunderbird and send it from there when the laptop is online."),  # fmt: skip
    "message": N_("For WhatsApp, Facebook or the neighbourhood app. Change the text if you like, copy it "
                  "and paste it into the message."),  # fmt: skip
    "newsletter": N_("For the village paper, the neighbourhood paper or a newsletter. Change the text if you "
                     "like, copy it and send it to the editors."),  # fmt: skip
}


def _recipients_line(count: int, purpose: str) -> str:
    if purpose == "feedback":
        return ngettext("To {n} participant who agreed to be contacted, in Bcc.",
                        "To {n} participants who agreed to be contacted, in Bcc.", count).format(n=count)  # fmt: skip
    return ngettext("To {n} person who agreed to be contacted, in Bcc.",
                    "To {n} people who agreed to be contacted, in Bcc.", count).format(n=count)  # fmt: skip


def write_draft(kit: Kit, session_id: str, purpose: str, path: Path, subject: str, body: str, today: date):
    """Runs in a worker thread on a Kit of its own: the draft .eml, recorded as prepared."""
    return kit.outreach.write_email(session_id, purpose, path, subject=subject, body=body, today=today)


class MaterialDialog(QDialog):
    """One channel's text, editable; copied with a button, and for e-mail saved as a draft."""

    def __init__(self, kit: Kit, bridge: KitBridge, session_id: str, purpose: str, channel: str,
                 today: Callable[[], date] = date.today, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.kit, self.bridge, self.session_id = kit, bridge, session_id
        self.purpose, self.channel, self.today = purpose, channel, today
        self.draft = None  # the EmailDraft once written
        self.busy = False  # writing the draft: the dialog stays until the worker reports
        session = kit.sessions.get(session_id)
        material = kit.outreach.material(session_id, purpose)
        self.setWindowTitle(f"{gettext(TITLES[channel])} – {session.title}")
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SetMinimumSize)  # wrapped notes get their lines: nothing overlaps
        title = _("Feedback: {what}") if purpose == "feedback" else _("Invitation: {what}")
        layout.addWidget(heading(title.format(what=gettext(TITLES[channel]).lower()), level=2))
        layout.addWidget(muted(gettext(HINTS[channel])))
        self.missing = QLabel(objectName="warning", wordWrap=True)
        if material.missing:
            self.missing.setText(_("Not known yet: {items}. The text says so in its place; fill it in on Plan, "
                                   "Details, and open this window again.").format(items=", ".join(material.missing)))  # fmt: skip
        self.missing.setVisible(bool(material.missing))
        layout.addWidget(self.missing)
        self.subject = QLineEdit(material.subject)  # only the e-mail has one
        self.subject.setCursorPosition(0)  # a long subject shows its start
        subject_label = labelled(QLabel(_("Subject")), self.subject)
        for widget in (subject_label, self.subject):
            widget.setVisible(channel == "email")
            layout.addWidget(widget)
        text = {"email": material.body, "message": material.message, "newsletter": material.newsletter}[channel]
        self.text = QPlainTextEdit(text, tabChangesFocus=True)  # Tab leaves the text: no trap
        self.text.setMinimumSize(520, 160 if channel == "message" else 260)
        layout.addWidget(labelled(QLabel(_("Text")), self.text))
        layout.addWidget(self.text, 1)
        self.recipients = QLabel(objectName="muted", wordWrap=True)
        self.nobody = QLabel(objectName="warning", wordWrap=True)  # why no draft can be made
        self.status = QLabel(objectName="muted", wordWrap=True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)  # the saved file's name can be copied
        self.error = QLabel(objectName="formError", wordWrap=True)
        for label in (self.recipients, self.nobody, self.status, self.error):
            label.hide()
            layout.addWidget(label)
        self.copy_button = QPushButton(_("Copy"), clicked=self.copy)
        self.save_button = QPushButton(_("Save as e-mail draft…"), clicked=self.ask_save)
        self.close_button = close = QPushButton(_("Close"), clicked=self.reject)
        row = QHBoxLayout()
        row.addWidget(self.copy_button)
        row.addWidget(self.save_button)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.save_button.setVisible(channel == "email")
        if channel == "email":
            self._show_recipients()
        self.text.setFocus()

    def _show_recipients(self) -> None:
        """How many get the e-mail, or the core's reason why nobody may (then no draft can be saved)."""
        refused = self.kit.outreach.nobody(self.session_id, self.purpose)
        count = 0 if refused else len(self.kit.outreach.recipients(self.session_id, self.purpose))
        self.save_button.setEnabled(refused is None)
        self.recipients.setText(_recipients_line(count, self.purpose) if count else "")
        self.recipients.setVisible(refused is None)
        self.nobody.setText(refused.localized() if refused else "")
        self.nobody.setVisible(refused is not None)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self._say(_("Copied. Paste it with Ctrl+V where you want it."))

    def _say(self, text: str, warning: bool = False) -> None:
        """What just happened, under the text: a result in grey, a failure in red."""
        self.status.setText("" if warning else text)
        self.status.setVisible(not warning)
        self.error.setText(text if warning else "")
        self.error.setVisible(warning)

    def ask_save(self) -> None:
        session = self.kit.sessions.get(self.session_id)
        stem = _("Feedback") if self.purpose == "feedback" else _("Invitation")
        suggested = safe_name(f"{stem} {session.title}", _("e-mail")) + ".eml"
        path, _filter = save_file_name(self, _("Save e-mail draft"), suggested, _("E-mail draft (*.eml)"))
        if path:
            self.save_draft(Path(path))

    def save_draft(self, path: Path) -> None:
        """Write the draft with the edited subject and text, off the UI thread."""
        if not path.suffix:
            path = path.with_suffix(".eml")
        subject, body, today = self.subject.text(), self.text.toPlainText(), self.today()
        self.save_button.setEnabled(False)
        self.busy = True
        self._say(_("Writing the e-mail draft…"))
        in_worker(self, self.kit, self.bridge,
                  lambda kit: write_draft(kit, self.session_id, self.purpose, path, subject, body, today),
                  self._saved, self._failed, _("Writing the e-mail draft…"))  # fmt: skip

    def reject(self) -> None:
        if not self.busy:
            super().reject()

    def _saved(self, draft) -> None:
        self.draft, self.busy = draft, False
        self.save_button.setEnabled(True)
        said = ngettext("Saved as {path}, to {n} person in Bcc. Open it in your e-mail program to send it.",
                        "Saved as {path}, to {n} people in Bcc. Open it in your e-mail program to send it.",
                        draft.recipients).format(path=draft.path, n=draft.recipients)  # fmt: skip
        self._say(f"{said} {draft.warning}".strip())

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.save_button.setEnabled(True)
        if isinstance(error, KitError):
            self._say(error.localized(), warning=True)
        elif isinstance(error, OSError):
            self._say(_("The file could not be written: {reason}").format(reason=error.strerror or error), warning=True)
        else:
            self._say(_("Something unexpected went wrong."), warning=True)
            errors.report(self, error)
        self._show_recipients()


class MaterialButtons(QWidget):
    """A heading and the three buttons that open a channel's material for the chosen meeting;
    ``closed`` after a dialog closes (a draft may have been recorded as prepared)."""

    closed = Signal()

    def __init__(self, kit: Kit, bridge: KitBridge, purpose: str, today: Callable[[], date] = date.today,
                 note: str = "", one_row: bool = False, parent: QWidget | None = None) -> None:  # fmt: skip
        """``one_row``: the buttons side by side, what each is for in its tooltip (a wide card that
        should stay low); else one per line with what it is for beside it (a narrow card)."""
        super().__init__(parent)
        self.kit, self.bridge, self.purpose, self.today = kit, bridge, purpose, today
        self.session_id: str | None = None
        self.dialog: MaterialDialog | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel(f"<b>{_('Material per channel')}</b>"))
        grid = QGridLayout()
        grid.setColumnStretch(3 if one_row else 1, 1)
        self.buttons = {}
        for line, (channel, text) in enumerate(CHANNEL_BUTTONS.items()):
            button = QPushButton(gettext(text), clicked=lambda _on=False, c=channel: self.open(c))
            button.setObjectName(f"{purpose}-{channel}")
            about = gettext(USES[purpose if channel == "email" else channel])
            button.setAccessibleDescription(about)
            self.buttons[channel] = button
            if one_row:
                button.setToolTip(about)
                grid.addWidget(button, 0, line)
            else:
                grid.addWidget(button, line, 0)
                grid.addWidget(muted(about), line, 1)
        column.addLayout(grid)
        if note:
            column.addWidget(muted(note))
        self.set_session(None)

    def set_session(self, session_id: str | None) -> None:
        self.session_id = session_id
        for button in self.buttons.values():
            button.setEnabled(session_id is not None)

    def open(self, channel: str) -> MaterialDialog | None:
        if self.session_id is None:
            return None
        self.dialog = MaterialDialog(self.kit, self.bridge, self.session_id, self.purpose, channel,
                                     self.today, self.window())  # fmt: skip
        self.dialog.exec()
        self.dialog.deleteLater()
        self.closed.emit()
        return self.dialog


def screenshots(window, out) -> list[Path]:
    """For ui/screenshots.py: Plannen > Uitnodigingen after an e-mail draft, every material dialog, one
    for a meeting without a place or anybody to mail, and Mensen > Opvolging with feedback marked."""
    import tempfile

    from PySide6.QtWidgets import QScrollArea

    from wijkkit.outreach import TEXT_CHANNELS

    kit, folder, written = window.kit, Path(out), []

    from ui.screenshots import _save

    def grab(widget: QWidget, file_name: str) -> None:
        written.append(_save(widget, folder / file_name))

    meetings = [s for s in kit.sessions.list() if s.neighbourhood_id]  # the other shots may have held them all
    held, upcoming = next(s for s in meetings if s.status == "held"), meetings[-1]
    with tempfile.TemporaryDirectory(prefix="wijkkit-shots-") as scratch:
        kit.outreach.write_email(upcoming.id, "invite", Path(scratch) / "invitation.eml")
    window.show_page(1)
    plan = window.page(1)
    plan.neighbourhood_view.setCurrentIndex(plan.neighbourhoods.index(0, 0))  # all meetings
    plan.select_session(upcoming.id)
    plan.tabs.setCurrentIndex(2)
    grab(window, "02-plannen-uitnodigingen-materiaal.png")
    for purpose, session in (("invite", held), ("feedback", held)):  # held: its time was not moved by the shots
        for channel in TEXT_CHANNELS:
            dialog = MaterialDialog(kit, window.bridge, session.id, purpose, channel, parent=window)
            dialog.show()
            grab(dialog, f"10-materiaal-{purpose}-{channel}.png")
            dialog.close()
    start = upcoming.starts_at[:10]
    alone = kit.sessions.add("Buurtkoffie", f"{start}T10:00", f"{start}T11:30")  # no neighbourhood, no place
    dialog = MaterialDialog(kit, window.bridge, alone, "invite", "email", parent=window)
    dialog.show()
    grab(dialog, "10-materiaal-invite-email-niemand.png")
    dialog.close()
    kit.outreach.mark_feedback(held.id, "message", prepared_on=date.today(), sent_on=date.today(), reach=40)
    window.show_page(3)
    people = window.page(3)
    people.tabs.setCurrentWidget(people.followup)
    people.followup.refresh()  # an earlier shot may have closed the window, and with it the bridge
    card = people.followup.feedback_view.parentWidget()
    scroll = next(w for w in _ancestors(card) if isinstance(w, QScrollArea))
    scroll.ensureWidgetVisible(card)
    grab(window, "04-mensen-opvolging-terugkoppeling.png")
    return written


def _ancestors(widget: QWidget):
    while widget is not None:
        yield widget
        widget = widget.parentWidget()
