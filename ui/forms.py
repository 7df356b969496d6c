"""Forms that show a mistake at the field it belongs to.

A ``FieldForm`` is a QFormLayout whose rows each have an error line under the
input. ``show_error`` takes a core ``ValidationError``: its ``field`` names the
row, which gets the Dutch message and the keyboard focus. Nothing is saved when
the core refuses, so the user just corrects and tries again.

``DateField`` and ``TimeField`` take dates and times as people type them
("3-12", "3/12/2026", "2200"; read by ``wijkkit.dates``), commit on Enter or
when focus leaves, and keep a mistyped text with a message instead of dropping
it. The date field's calendar (button, Alt+Down or F4) opens at the field's
date, or today when the field is empty.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, QPoint, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from wijkkit import dates
from wijkkit.errors import KitError, ValidationError
from wijkkit.i18n import N_, _, gettext
from wijkkit.models import ROLES
from wijkkit.people import CONSENT_LABELS, CONSENTS

from . import a11y


class FieldForm(QFormLayout):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self._inputs: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self.general = QLabel(objectName="formError", wordWrap=True)
        self.general.hide()

    def add(self, name: str, label: str, widget: QWidget, also: tuple[str, ...] = ()) -> QWidget:
        """Add a row; errors about ``name`` (and the ``also`` fields) appear under it."""
        if isinstance(widget, QComboBox):
            compact(widget)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = QLabel(objectName="fieldError", wordWrap=True)
        error.hide()
        column.addWidget(error)
        self.addRow(label, holder)
        if label:  # the field itself is the label's buddy, so a screen reader reads the label as its name
            a11y.label_for(self.labelForField(holder), widget)
        if isinstance(widget, DateField | TimeField):
            widget.invalid.connect(lambda text: self.show_message(name, text))
        for field in (name, *also):
            self._inputs[field], self._errors[field] = widget, error
        return widget

    def clear_errors(self) -> None:
        for label in {*self._errors.values(), self.general}:
            label.clear()
            label.hide()

    def show_message(self, name: str, text: str) -> None:
        """A message under the row of ``name`` without moving the focus; "" hides it."""
        label = self._errors.get(name, self.general)
        label.setText(text)
        label.setVisible(bool(text))

    def error_text(self, name: str) -> str:
        return self._errors[name].text() if name in self._errors else self.general.text()

    def show_error(self, error: KitError) -> None:
        self.clear_errors()
        field = error.field if isinstance(error, ValidationError) else None
        label = self._errors.get(field or "", self.general)
        label.setText(error.localized())
        label.show()
        widget = self._inputs.get(field or "")
        if widget is not None:
            widget.setFocus()


def compact(combo: QComboBox, chars: int = 18) -> QComboBox:
    """A combo box whose width does not follow its longest item (long meeting titles)."""
    combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    return combo


def consent_field(short: str, wording: str) -> tuple[QWidget, QCheckBox]:
    """A consent: a short checkbox label, with the full wording wrapped beside it."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    box = QCheckBox(short)
    text = QLabel(wording, objectName="muted", wordWrap=True)
    text.setMinimumWidth(120)
    row.addWidget(box)
    row.addWidget(text, 1)
    return holder, box


def add_person_details(form: FieldForm, owner: object) -> None:
    """The rows after the name of a person form: role, organisation, e-mail, phone and the three
    consents with their wording, set on ``owner`` as ``role``, ..., ``consents[kind]``."""
    owner.role = form.add("role", _("Role"), QComboBox())
    for key, label in ROLES.items():
        owner.role.addItem(gettext(label), key)
    owner.organisation = form.add("organisation", _("Organisation"), QLineEdit())
    owner.email = form.add("email", _("E-mail"), QLineEdit())
    owner.phone = form.add("phone", _("Phone"), QLineEdit())
    owner.consents = {}
    for kind, wording in CONSENTS.items():
        holder, owner.consents[kind] = consent_field(gettext(CONSENT_LABELS[kind]), gettext(wording))
        form.add(f"consent_{kind}", _("Consent") if kind == "contact" else "", holder)


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def qdatetime(value: datetime) -> QDateTime:
    return QDateTime(qdate(value.date()), QTime(value.hour, value.minute))


def local_iso(day: QDate, moment: QTime) -> str:
    """A meeting time as the core stores it: local ISO to the minute."""
    return datetime.combine(to_date(day), time(moment.hour(), moment.minute())).isoformat(timespec="minutes")


# -- typed dates and times ---------------------------------------------------------------


def _mark(widget: QWidget, message: str) -> None:
    """Show a typing mistake at the field: red frame, tooltip, and the ``invalid`` signal."""
    widget.setProperty("invalid", bool(message))
    widget.setToolTip(message)
    widget.setStyleSheet("QLineEdit { border: 2px solid #c62828; }" if message else "")
    if message and widget.isVisible():
        QToolTip.showText(widget.mapToGlobal(QPoint(0, widget.height())), message, widget)


class DateField(QWidget):
    """A date typed as "3-12-2026" (or picked in the calendar), committed on Enter or leaving.

    Its API follows QDateEdit where the forms use it (``date``, ``setDate``, ``dateChanged``,
    ``setMinimumDate`` with ``setSpecialValueText`` for 'may be empty': an empty field then
    reads as that minimum date). A text that is not a date stays, with ``invalid`` sending the
    message; ``error()`` holds it."""

    dateChanged = Signal(QDate)  # noqa: N815 - as QDateEdit
    invalid = Signal(str)  # the message, or "" once the date is right again

    def __init__(self, value: QDate | None = None, parent: QWidget | None = None,
                 today: Callable[[], date] = date.today, **_qdateedit_options: object) -> None:  # fmt: skip
        super().__init__(parent)
        self.today, self._date, self._empty_date, self._error = today, None, None, ""
        self.line = QLineEdit(placeholderText=_("d-m-yyyy"))
        self.line.setMinimumWidth(self.line.fontMetrics().horizontalAdvance("30-12-2026") + 22)
        self.calendar_action = self.line.addAction(self.style().standardIcon(QStyle.SP_ArrowDown),
                                                   QLineEdit.TrailingPosition)  # fmt: skip
        self.calendar_action.setToolTip(_("Calendar (Alt+Down)"))
        self.calendar_action.triggered.connect(self.open_calendar)
        self.button = self.line.findChildren(QToolButton)[-1]  # the calendar icon inside the field
        a11y.name(self.button, _("Calendar"), _("Alt+Down or F4"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line, 1)
        self.setFocusProxy(self.line)
        self.line.editingFinished.connect(self.commit)
        self.line.returnPressed.connect(self.commit)  # also when nothing was typed since the last time
        self.line.installEventFilter(self)
        self.popup: QFrame | None = None
        self.calendar: QCalendarWidget | None = None
        if value is not None:
            self.setDate(value)

    # -- QDateEdit-like API --------------------------------------------------------------

    def setMinimumDate(self, value: QDate) -> None:  # noqa: N802
        self._empty_date = value

    def setSpecialValueText(self, _text: str) -> None:  # noqa: N802
        """With a minimum date: the field may be empty (as QDateEdit shows its special value)."""

    def date(self) -> QDate:
        if self._date is None:
            return self._empty_date if self._empty_date is not None else qdate(self.today())
        return qdate(self._date)

    def setDate(self, value: QDate) -> None:  # noqa: N802
        # compared as Python dates: QDate comparisons in PySide 6.12 drop a reference to True/False
        empty = not value.isValid() or (self._empty_date is not None and to_date(value) <= to_date(self._empty_date))
        self._set(None if empty else to_date(value))

    def value(self) -> date | None:
        return self._date

    def error(self) -> str:
        return self._error

    # -- typing and the calendar ------------------------------------------------------------

    def commit(self) -> bool:
        """Read the typed text; False (and a message) when it is not a date."""
        try:
            typed = dates.typed_date(self.line.text(), self.today())
            if typed is None and self._empty_date is None:
                raise ValidationError(N_("Type a date, e.g. {example}."), example=dates.DATE_EXAMPLE)
        except ValidationError as error:
            self._error = error.localized()
            _mark(self.line, self._error)
            self.invalid.emit(self._error)
            return False
        self._set(typed)
        return True

    def _set(self, value: date | None) -> None:
        changed = value != self._date
        self._date = value
        self.line.setText(f"{value.day}-{value.month}-{value.year}" if value else "")
        if self._error:
            self._error = ""
            _mark(self.line, "")
            self.invalid.emit("")
        if changed:
            self.dateChanged.emit(self.date())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.line and event.type() == QEvent.KeyPress:
            key, alt = event.key(), bool(event.modifiers() & Qt.AltModifier)
            if key == Qt.Key_F4 or (alt and key == Qt.Key_Down):
                self.open_calendar()
                return True
            if key in (Qt.Key_Up, Qt.Key_Down) and not alt and self.commit():
                self._set((self._date or self.today()) + timedelta(days=1 if key == Qt.Key_Up else -1))
                return True
        return super().eventFilter(watched, event)

    def open_calendar(self) -> None:
        """The calendar below the field, at its date or today; Enter or a click picks a day."""
        if self.popup is None:
            self.popup = QFrame(self, Qt.Popup)
            self.popup.setFrameShape(QFrame.StyledPanel)
            self.calendar = QCalendarWidget(self.popup, gridVisible=False, firstDayOfWeek=Qt.Monday)
            self.calendar.setVerticalHeaderFormat(QCalendarWidget.NoVerticalHeader)
            column = QVBoxLayout(self.popup)
            column.setContentsMargins(2, 2, 2, 2)
            column.addWidget(self.calendar)
            self.calendar.activated.connect(self._picked)
            self.calendar.clicked.connect(self._picked)
        if self.line.text():
            self.commit()
        shown = qdate(self._date or self.today())
        self.calendar.setSelectedDate(shown)
        self.calendar.setCurrentPage(shown.year(), shown.month())
        self.popup.resize(self.popup.sizeHint().expandedTo(self.popup.minimumSizeHint()))  # no row clipped
        below = self.mapToGlobal(QPoint(0, self.height()))
        screen = self.screen().availableGeometry()
        below.setX(max(screen.left(), min(below.x(), screen.right() - self.popup.width())))
        if below.y() + self.popup.height() > screen.bottom():
            below.setY(self.mapToGlobal(QPoint(0, 0)).y() - self.popup.height())
        self.popup.move(below)
        self.popup.show()
        self._show_every_week()
        self.calendar.setFocus()

    def _show_every_week(self) -> None:
        """Grow the popup until the calendar's last week and last day are whole (its size hint
        is a few pixels short with some fonts and styles)."""
        view = self.calendar.findChild(QAbstractItemView)
        for _attempt in range(20):
            row, column = view.model().rowCount() - 1, view.model().columnCount() - 1
            short_down = view.rowViewportPosition(row) + view.rowHeight(row) - view.viewport().height()
            short_across = view.columnViewportPosition(column) + view.columnWidth(column) - view.viewport().width()
            if short_down <= 0 and short_across <= 0:
                return
            self.popup.resize(self.popup.width() + max(0, short_across), self.popup.height() + max(0, short_down))
            self.popup.layout().activate()

    def _picked(self, day: QDate) -> None:
        self.popup.hide()
        self._set(to_date(day))
        self.line.setFocus()


class TimeField(QLineEdit):
    """A time typed as "19:30", "1930", "19.30" or "19"; Up/Down move it by a quarter of an hour.

    Like QTimeEdit where the forms use it: ``time``, ``setTime``, ``timeChanged``."""

    timeChanged = Signal(QTime)  # noqa: N815 - as QTimeEdit
    invalid = Signal(str)

    def __init__(self, value: QTime | None = None, parent: QWidget | None = None, **_qtimeedit_options: object) -> None:
        super().__init__(parent, placeholderText="19:30")
        self._time, self._error = QTime(19, 30), ""
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("00:00") + 28)
        self.editingFinished.connect(self.commit)
        self.returnPressed.connect(self.commit)
        self.setTime(value or self._time)

    def time(self) -> QTime:
        return QTime(self._time)

    def setTime(self, value: QTime) -> None:  # noqa: N802
        changed = (value.hour(), value.minute()) != (self._time.hour(), self._time.minute())  # no QTime compare
        self._time = QTime(value.hour(), value.minute())
        self.setText(self._time.toString("HH:mm"))
        if self._error:
            self._error = ""
            _mark(self, "")
            self.invalid.emit("")
        if changed:
            self.timeChanged.emit(self.time())

    def error(self) -> str:
        return self._error

    def commit(self) -> bool:
        try:
            typed = dates.typed_time(self.text())
        except ValidationError as error:
            self._error = error.localized()
            _mark(self, self._error)
            self.invalid.emit(self._error)
            return False
        self.setTime(QTime(typed.hour, typed.minute))
        return True

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() in (Qt.Key_Up, Qt.Key_Down) and self.commit():
            self.setTime(self._time.addSecs(900 if event.key() == Qt.Key_Up else -900))
            return
        super().keyPressEvent(event)
