"""The hub's retention card: the coordinator sets how long every laptop keeps data.

The period is kept at the hub and goes into every return bundle (wijkkit/retention.py);
a laptop shows it read-only from then on. Saved with a button, not on every arrow press:
each saved period is a new setting the laptops take over.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox

from wijkkit import retention
from wijkkit.errors import KitError
from wijkkit.i18n import _
from wijkkit.kit import Kit

from ...widgets import Card, muted


class RetentionCard(Card):
    def __init__(self, kit: Kit) -> None:
        super().__init__(_("Retention period for every laptop"))
        self.kit = kit
        row = QHBoxLayout()
        label = QLabel(_("Keep people, offers, needs and notes for"), wordWrap=True)
        self.months = QSpinBox(objectName="hubRetention", minimum=retention.MIN_MONTHS, maximum=retention.MAX_MONTHS,
                               suffix=_(" months"))  # fmt: skip
        self.months.setValue(retention.retention_months(kit))
        label.setBuddy(self.months)
        self.save_button = QPushButton(
            _("Set for every laptop"), objectName="setRetention", clicked=self.save
        )
        row.addWidget(label, 1)
        row.addWidget(self.months)
        row.addWidget(self.save_button)
        self.body.addLayout(row)
        self.status = muted("")
        self.body.addWidget(self.status)
        self.show_state()

    def show_state(self) -> None:
        if retention.for_laptops(self.kit) is None:
            self.status.setText(
                _("Not set yet: each laptop keeps its own setting until you set it here.")
            )
        else:
            self.status.setText(_("The laptops take this period over with their next return bundle, and show it "
                                  "as set by the municipality."))  # fmt: skip

    def save(self) -> bool:
        try:
            retention.set_for_laptops(self.kit, self.months.value())
        except KitError as error:
            self.status.setText(error.localized())
            return False
        self.show_state()
        return True

