"""Forms that show a mistake at the field it belongs to.

A ``FieldForm`` is a QFormLayout whose rows each have an error line under the
input. ``show_error`` takes a core ``ValidationError``: its ``field`` names the
row, which gets the Dutch message and the keyboard focus. Nothing is saved when
the core refuses, so the user just corrects and tries again.
"""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from wijkkit.errors import KitError, ValidationError
from wijkkit.i18n import _, gettext
from wijkkit.models import ROLES
from wijkkit.people import CONSENT_LABELS, CONSENTS


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
        for field in (name, *also):
            self._inputs[field], self._errors[field] = widget, error
        return widget

    def clear_errors(self) -> None:
        for label in {*self._errors.values(), self.general}:
            label.clear()
            label.hide()

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
