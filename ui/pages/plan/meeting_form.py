"""The form with a meeting's details, used to plan a new meeting and to edit one.

Date and times are entered with real date and time editors; the core checks the
rules (end after start, a new meeting not in the past) and its message appears
under the field concerned. ``changed()`` compares the form with the meeting as it was
shown, so the page can ask before edits would be lost.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from wijkkit import dates
from wijkkit.errors import ValidationError
from wijkkit.i18n import _, gettext
from wijkkit.kit import Kit
from wijkkit.models import SESSION_STATUSES, Session

from ...a11y import name
from ...forms import DateField, FieldForm, TimeField, local_iso, qdate


class MeetingForm(QWidget):
    def __init__(self, kit: Kit, with_status: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kit = kit
        self.form = FieldForm(self)
        self.title = self.form.add("title", _("Title"), QLineEdit(placeholderText=_("e.g. Samen zorgen in Ellerveen")))
        self.neighbourhood = self.form.add("neighbourhood_id", _("Neighbourhood"), QComboBox())
        self.day = DateField(qdate(date.today() + timedelta(days=28)))
        self.start, self.end = TimeField(QTime(19, 30)), TimeField(QTime(22, 0))
        when = QWidget()
        row = QHBoxLayout(when)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.day, QLabel(_("from")), self.start, QLabel(_("to")), self.end):
            row.addWidget(widget)
        row.addStretch()
        self.form.add("starts_at", _("Date and time"), when, also=("ends_at",))
        for field, text in ((self.day, _("Date")), (self.start, _("Start time")), (self.end, _("End time"))):
            name(field, text)
        self.when = (self.day, self.start, self.end)
        for field in self.when:
            field.invalid.connect(self._typing_mistake)
        self.location_name = self.form.add("location_name", _("Place"), QLineEdit(placeholderText=_("e.g. Dorpshuis De Schakel")))
        self.location_address = self.form.add("location_address", _("Address"), QLineEdit())
        self.facilitator = self.form.add("facilitator", _("Facilitator"), QLineEdit())
        self.theme = self.form.add("theme", _("Theme"), QLineEdit())
        self.follows = self.form.add("follows_session_id", _("Follows up on"), QComboBox())
        self.notes = self.form.add("notes", _("Notes"), QPlainTextEdit(
            placeholderText=_("For the team; a web address here (https://…) puts a QR code on the poster."),
            tabChangesFocus=True))  # fmt: skip
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 3 + 12)
        self.status = self.form.add("status", _("Status"), QComboBox()) if with_status else None
        if self.status is not None:
            for key, label in SESSION_STATUSES.items():
                self.status.addItem(gettext(label), key)
        self.copies_follow_up, self._copied = False, {}
        self._shown: dict | None = None  # the values of the meeting as shown
        self.load_neighbourhoods()
        self.neighbourhood.currentIndexChanged.connect(lambda: self.load_series())
        self.follows.currentIndexChanged.connect(lambda: self.copy_follow_up())

    def copy_follow_up(self) -> None:
        """A new follow-up meeting starts with the place, facilitator and time of day of the one it
        follows; a field the planner already changed keeps its text."""
        earlier = self.follows.currentData()
        if not self.copies_follow_up or not earlier:
            return
        details = self.kit.sessions.follow_up_details(earlier)
        fields = {"location_name": self.location_name, "location_address": self.location_address,
                  "facilitator": self.facilitator, "start": self.start, "end": self.end}  # fmt: skip
        for key, widget in fields.items():
            if not widget.text() or widget.text() == self._copied.get(key):
                widget.setText(details[key])
                if isinstance(widget, TimeField):
                    widget.commit()
        self._copied = details

    def load_neighbourhoods(self, select: str | None = None) -> None:
        self.neighbourhood.blockSignals(True)
        self.neighbourhood.clear()
        self.neighbourhood.addItem(_("(none)"), None)
        for item in self.kit.neighbourhoods.list():
            self.neighbourhood.addItem(item.name, item.id)
        self.neighbourhood.setCurrentIndex(max(0, self.neighbourhood.findData(select)))
        self.neighbourhood.blockSignals(False)
        self.load_series()

    def load_series(self, select: str | None = None, exclude: str | None = None) -> None:
        """Offer the meetings of the chosen neighbourhood to follow up on; the latest by default."""
        self.follows.clear()
        self.follows.addItem(_("(no earlier meeting)"), None)
        neighbourhood = self.neighbourhood.currentData()
        series = [s for s in self.kit.sessions.list(neighbourhood) if s.id != exclude] if neighbourhood else []
        for session in series:
            self.follows.addItem(f"{dates.short_date(session.starts_at)} {session.title}", session.id)
        self.follows.setCurrentIndex(self.follows.findData(select) if select else self.follows.count() - 1)

    def _typing_mistake(self, message: str) -> None:
        if message or not any(field.error() for field in self.when):
            self.form.show_message("starts_at", message)

    def values(self) -> dict:
        """The meeting as typed; a ``ValidationError`` when the date or a time is not readable."""
        for field in self.when:
            if not field.commit():
                raise ValidationError("{message}", field="starts_at", message=field.error())
        values = {
            "title": self.title.text(),
            "neighbourhood_id": self.neighbourhood.currentData(),
            "starts_at": local_iso(self.day.date(), self.start.time()),
            "ends_at": local_iso(self.day.date(), self.end.time()),
            "location_name": self.location_name.text().strip(),
            "location_address": self.location_address.text().strip(),
            "facilitator": self.facilitator.text().strip(),
            "theme": self.theme.text().strip(),
            "follows_session_id": self.follows.currentData(),
            "notes": self.notes.toPlainText().strip(),
        }
        if self.status is not None:
            values["status"] = self.status.currentData()
        return values

    def show_session(self, session: Session) -> None:
        self.form.clear_errors()
        self.title.setText(session.title)
        self.neighbourhood.blockSignals(True)
        self.neighbourhood.setCurrentIndex(max(0, self.neighbourhood.findData(session.neighbourhood_id)))
        self.neighbourhood.blockSignals(False)
        self.load_series(select=session.follows_session_id, exclude=session.id)
        start = dates.parse(session.starts_at) or datetime.now()
        end = dates.parse(session.ends_at) or start
        self.day.setDate(qdate(start.date()))
        self.start.setTime(QTime(start.hour, start.minute))
        self.end.setTime(QTime(end.hour, end.minute))
        for widget, value in ((self.location_name, session.location_name), (self.location_address, session.location_address),
                              (self.facilitator, session.facilitator), (self.theme, session.theme)):  # fmt: skip
            widget.setText(value or "")
        self.notes.setPlainText(session.notes or "")
        if self.status is not None:
            self.status.setCurrentIndex(max(0, self.status.findData(session.status)))
        self.title.setCursorPosition(0)
        self.mark_saved()

    def mark_saved(self) -> None:
        """The form as it is now matches the stored meeting."""
        try:
            self._shown = self.values()
        except ValidationError:
            self._shown = None

    def changed(self) -> bool:
        """Whether the form differs from the meeting it shows (an unreadable time counts)."""
        if self._shown is None:
            return False
        try:
            return self.values() != self._shown
        except ValidationError:
            return True
