"""Mensen en afspraken: everyone who took part, and every agreement with its status."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QTableView

from wijkkit.i18n import N_, _, gettext
from wijkkit.kit import Kit
from wijkkit.models import ROLES

from ..bridge import KitBridge
from ..models.agreements import AgreementTableModel
from ..models.records import RecordTableModel
from ..widgets import Card, Page

PEOPLE_COLUMNS = (
    (N_("Name"), lambda p: p.name),
    (N_("Role"), lambda p: gettext(ROLES.get(p.role, p.role))),
    (N_("Organisation"), lambda p: p.organisation),
)


def _table(model, name: str, stretch: int) -> QTableView:
    table = QTableView(objectName=name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.Stretch)
    return table


class PeoplePage(Page):
    def __init__(self, kit: Kit, bridge: KitBridge) -> None:
        super().__init__(_("People and agreements"), _("Everyone who took part, and every agreement with its status."))
        self.people = RecordTableModel(kit.people.list, PEOPLE_COLUMNS, self)
        self.agreements = AgreementTableModel(kit.agreements.list, self)
        row = QHBoxLayout()
        people_card, agreements_card = Card(_("People")), Card(_("Agreements"))
        people_card.body.addWidget(_table(self.people, "people", stretch=2))
        agreements_card.body.addWidget(_table(self.agreements, "agreements", stretch=0))
        row.addWidget(people_card, 1)
        row.addWidget(agreements_card, 1)
        self.layout_.addLayout(row, 1)
        bridge.changed.connect(self._on_change)

    def _on_change(self, changes: dict) -> None:
        if "person" in changes:
            self.people.refresh()
        if changes.keys() & {"agreement", "person", "session"}:
            self.agreements.refresh()
