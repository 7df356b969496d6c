"""Gemeente (hub): the municipality's coordinator merges the laptops' bundles.

Before it is a hub, the page offers to make this database one (it writes the
public key file for the laptops). As a hub it has five tabs: 'Samenvoegen'
(folders and the merge: hub_merge.py), 'Laptops' (approval by fingerprint, trust,
revoking and neighbourhoods: hub_laptops.py), 'Conflicten', 'Geweigerde
wijzigingen' (hub_refusals.py) and the overview per neighbourhood with its export
(hub_tables.py). The tabs with work waiting show how much in their title. On
'Samenvoegen', below the folders, the coordinator sets the retention period every laptop
takes over (hub_retention.py): above the tabs it made the page too tall for 1024x768.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wijkkit.errors import KitError
from wijkkit.i18n import _
from wijkkit.kit import Kit
from wijkkit.sync import keys

from ...bridge import KitBridge
from ...files import save_file_name
from ...widgets import Card, muted
from .common import failure_text, show_status
from .hub_merge import KEY_NAME, MergeTab


class HubPage(QWidget):
    """'Make this database the hub' until it is one; then the hub's tabs."""

    became_hub = Signal()

    def __init__(self, kit: Kit, bridge: KitBridge, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self.kit, self.bridge, self.clock = kit, bridge, clock or datetime.now
        self.stack = QStackedWidget()
        setup = Card(_("Make this database the municipality's hub"))
        setup.body.addWidget(muted(_(
            "Do this once, on the computer of the municipality's coordinator. Wijkkit then writes a key file. "
            "Give that file to every facilitator: their laptop uses it to lock what it sends, so that only "
            "this hub can open it. The key file holds nothing secret.")))  # fmt: skip
        self.hub_name = QLineEdit(objectName="hubNameEdit", placeholderText=_("e.g. Gemeente Veldhorst"))
        form = QFormLayout()
        form.addRow(_("Name of the hub:"), self.hub_name)
        setup.body.addLayout(form)
        self.setup_button = QPushButton(_("Make this database the hub…"), objectName="makeHub", clicked=self.ask_make_hub)
        self.setup_status = muted("")
        setup.body.addWidget(self.setup_button)
        setup.body.addWidget(self.setup_status)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.addWidget(setup)
        column.addStretch(1)
        self.stack.addWidget(holder)
        self.tabs: QTabWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        if keys.is_hub(kit):
            self._build_hub()
        else:
            joined = keys.hub_of(kit)
            if joined is not None:
                self.setup_status.setText(_("This laptop sends to the hub {name}. Only the municipality's computer "
                                            "is a hub.").format(name=joined.name or joined.replica))  # fmt: skip
                self.setup_button.setEnabled(False)

    def _build_hub(self) -> None:
        from .hub_laptops import LaptopsTab
        from .hub_refusals import RefusalsTab
        from .hub_tables import ConflictsTab, OverviewTab

        self.merge_tab = MergeTab(self.kit, self.bridge)
        self.laptops = LaptopsTab(self.kit, self.merge_tab.outbox_folder)
        self.conflicts = ConflictsTab(self.kit)
        self.refusals = RefusalsTab(self.kit)
        self.overview = OverviewTab(self.kit, self.bridge, self.clock)
        self.tabs = QTabWidget(objectName="hubTabs")
        self.tabs.addTab(self.merge_tab, _("Merge"))
        self.tabs.addTab(self.laptops, _("Laptops"))
        self.tabs.addTab(self.conflicts, _("Conflicts"))
        self.tabs.addTab(self.refusals, _("Refused changes"))
        self.tabs.addTab(self.overview, _("Overview per neighbourhood"))
        for refresh in (self.laptops.refresh, self.conflicts.refresh, self.refusals.refresh, self.overview.refresh):
            self.merge_tab.merged.connect(refresh)
        titles = ((self.laptops, self.laptops.pending, _("Laptops"), _("Laptops ({n} waiting)")),
                  (self.conflicts, self.conflicts.model, _("Conflicts"), _("Conflicts ({n})")),
                  (self.refusals, self.refusals.model, _("Refused changes"), _("Refused changes ({n})")))  # fmt: skip
        for tab, model, plain, counted in titles:
            tab.counted.connect(lambda n, tab=tab, plain=plain, counted=counted: self._count(tab, plain, counted, n))
            self._count(tab, plain, counted, model.rowCount())
        from .hub_retention import RetentionCard

        self.retention = RetentionCard(self.kit)
        self.merge_tab.add_card(self.retention)  # with the cards that scroll: the tabs keep their height
        self.stack.addWidget(self.tabs)
        self.stack.setCurrentWidget(self.tabs)

    def _count(self, tab: QWidget, plain: str, counted: str, count: int) -> None:
        """A tab's title with how many items wait in it."""
        if self.tabs is not None:
            self.tabs.setTabText(self.tabs.indexOf(tab), counted.format(n=count) if count else plain)

    def ask_make_hub(self) -> None:
        path, _filter = save_file_name(self, _("Save hub key"), KEY_NAME)
        if path:
            self.make_hub(Path(path))

    def make_hub(self, path: Path, name: str | None = None) -> bool:
        """Make this database the hub and write its key file for the laptops."""
        try:
            keys.export_hub_key(self.kit, path, self.hub_name.text().strip() if name is None else name)
        except (KitError, OSError) as error:
            show_status(self.setup_status, failure_text(error) if isinstance(error, KitError) else
                        _("The file could not be written: {reason}").format(reason=error.strerror or error), error=True)  # fmt: skip
            return False
        self._build_hub()
        self.merge_tab.status.setText(_("Hub key saved as {path}. Give this file to the facilitators.").format(path=path))
        self.became_hub.emit()
        return True
