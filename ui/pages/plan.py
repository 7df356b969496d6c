"""Plannen: the meetings of every neighbourhood, in date order."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from wijkkit import dates
from wijkkit.i18n import N_, _, gettext
from wijkkit.kit import Kit
from wijkkit.models import SESSION_STATUSES

from ..bridge import KitBridge
from ..models.records import RecordTableModel
from ..widgets import Page

COLUMNS = (
    (N_("When"), lambda s: dates.meeting_time(s.starts_at, s.ends_at)),
    (N_("Meeting"), lambda s: s.title),
    (N_("Neighbourhood"), lambda s: s.neighbourhood_name or ""),
    (N_("Place"), lambda s: s.location_name),
    (N_("Status"), lambda s: gettext(SESSION_STATUSES.get(s.status, s.status))),
)


class PlanPage(Page):
    def __init__(self, kit: Kit, bridge: KitBridge) -> None:
        super().__init__(_("Plan"), _("The meetings of every neighbourhood, in date order."))
        self.model = RecordTableModel(kit.sessions.list, COLUMNS, self)
        table = QTableView(objectName="sessions")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectRows)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.layout_.addWidget(table, 1)
        bridge.changed.connect(lambda changes: "session" in changes and self.model.refresh())
