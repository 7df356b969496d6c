"""Samenvoegen at the hub: the folders, the merge and what happened to each file, and the laptops.

The merge runs in a worker thread (``in_worker``) and lists every file: merged
(with its changes and conflicts), waiting for approval, refused with the reason,
or merged before. Merging also writes each laptop its return bundle; 'Updates
klaarzetten' writes them alone, after changes made at the hub. Laptops that sent a bundle but are not trusted yet wait in
the approval queue until the coordinator trusts them; the trusted ones show
their last bundle and when it arrived.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wijkkit.errors import KitError
from wijkkit.i18n import N_, _, ngettext
from wijkkit.kit import Kit
from wijkkit.sync import exchange, keys

from .. import errors
from ..bridge import KitBridge
from ..models.records import RecordTableModel
from ..widgets import Card, muted
from .sync_common import counts_text, failure_text, folder_row, in_worker, moment, table_view

KEY_NAME = "hub-sleutel.wijkhub"
COLOURS = {"merged": "#1f6f5c", "waiting": "#b26a00", "refused": "#b3261e", "already": "#55605c"}


class MergeTab(QWidget):
    """Folders, 'Samenvoegen' and its results; the laptops waiting for approval and the trusted ones."""

    merged = Signal()

    def __init__(self, kit: Kit, bridge: KitBridge) -> None:
        super().__init__()
        self.kit, self.bridge, self._busy = kit, bridge, False
        settings = QSettings()
        folders = Card(_("Folders"))
        self.inbox = QLineEdit(str(settings.value("hub/inbox", "") or ""), objectName="hubInbox",
                               placeholderText=_("Where the laptops put their bundles"))  # fmt: skip
        self.outbox = QLineEdit(str(settings.value("hub/outbox", "") or ""), objectName="hubOutbox",
                                placeholderText=_("Where each laptop finds its return bundle"))  # fmt: skip
        form = QFormLayout()
        form.addRow(_("Inbox:"), folder_row(self.inbox, lambda: self._choose(self.inbox, "hub/inbox")))
        form.addRow(_("Outbox:"), folder_row(self.outbox, lambda: self._choose(self.outbox, "hub/outbox")))
        folders.body.addLayout(form)
        self.merge_button = QPushButton(_("Merge"), objectName="mergeButton", clicked=self.merge)
        self.key_button = QPushButton(_("Save hub key again…"), clicked=self.ask_key_file)
        buttons = QHBoxLayout()
        buttons.addWidget(self.merge_button)
        buttons.addWidget(self.key_button)
        buttons.addStretch(1)
        folders.body.addLayout(buttons)
        self.status = QLabel(objectName="info", wordWrap=True)
        folders.body.addWidget(self.status)
        updates = Card(_("Updates for the laptops"))
        updates.body.addWidget(muted(_("Changed something here, such as an agreement's status? Put it in the "
                                       "outbox for the laptops, without merging.")))  # fmt: skip
        self.updates_button = QPushButton(_("Write updates for the laptops"), objectName="writeUpdates",
                                          clicked=self.write_updates)  # fmt: skip
        self.updates_hint = muted(_("Choose an outbox folder first."))
        row = QHBoxLayout()
        row.addWidget(self.updates_button)
        row.addWidget(self.updates_hint, 1)
        row.addStretch(0)  # the button keeps its size when the hint is hidden
        updates.body.addLayout(row)
        self.updates_status = QLabel(objectName="info", wordWrap=True)
        updates.body.addWidget(self.updates_status)
        result = Card(_("What happened"))
        self.results = QListWidget(objectName="mergeResults")
        self.results.setWordWrap(True)
        result.body.addWidget(self.results)

        waiting = Card(_("Waiting for approval"))
        self.pending = RecordTableModel(lambda: [p for p in keys.peers(kit) if not p.trusted],
                                        [(N_("Laptop id"), lambda p: p.replica),
                                         (N_("First seen"), lambda p: moment(p.first_seen), lambda p: p.first_seen or "")],
                                        self)  # fmt: skip
        self.pending_view = table_view(self.pending, "pendingLaptops")
        self.laptop_name = QLineEdit(objectName="laptopName", placeholderText=_("Name (optional), e.g. the facilitator's"))
        self.trust_button = QPushButton(_("Trust"), objectName="trustButton", clicked=self.trust_selected)
        trust_row = QHBoxLayout()
        trust_row.addWidget(self.laptop_name, 1)
        trust_row.addWidget(self.trust_button)
        waiting.body.addWidget(muted(_("Only trust a laptop you know: the facilitator sees its id on the "
                                       "Synchronise page.")))  # fmt: skip
        waiting.body.addWidget(self.pending_view)
        waiting.body.addLayout(trust_row)
        trusted = Card(_("Trusted laptops"))
        self.trusted = RecordTableModel(lambda: [p for p in keys.peers(kit) if p.trusted],
                                        [(N_("Name"), lambda p: p.name), (N_("Laptop id"), lambda p: p.replica),
                                         (N_("Last bundle"), lambda p: (p.last_bundle or "").removeprefix(p.replica + "-")),
                                         (N_("Received"), lambda p: moment(p.last_bundle_at),
                                          lambda p: p.last_bundle_at or "")], self)  # fmt: skip
        self.trusted_view = table_view(self.trusted, "trustedLaptops")
        self.trusted_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.trusted_view.horizontalHeader().setStretchLastSection(False)
        trusted.body.addWidget(self.trusted_view)

        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(folders)
        left.addWidget(updates)
        left.addWidget(result, 1)
        right.addWidget(waiting, 1)
        right.addWidget(trusted, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 4)
        layout.addLayout(right, 5)
        self.pending_view.selectionModel().selectionChanged.connect(lambda *_args: self._enable())
        self.outbox.textChanged.connect(lambda *_args: self._enable())
        self.refresh()

    def _choose(self, edit: QLineEdit, key: str) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose a folder"), edit.text())
        if folder:
            self.set_folder(edit, key, Path(folder))

    def set_folder(self, edit: QLineEdit, key: str, folder: Path) -> None:
        edit.setText(str(folder))
        QSettings().setValue(key, str(folder))

    def set_folders(self, inbox: Path, outbox: Path | None) -> None:
        self.set_folder(self.inbox, "hub/inbox", inbox)
        if outbox is not None:
            self.set_folder(self.outbox, "hub/outbox", outbox)

    def refresh(self) -> None:
        self.pending.refresh()
        self.trusted.refresh()
        if self.pending.rowCount():
            self.pending_view.selectRow(0)
        self._enable()

    def select(self, replica: str) -> bool:
        """Select a waiting laptop by its id."""
        for row in range(self.pending.rowCount()):
            if self.pending.record(row).replica == replica:
                self.pending_view.selectRow(row)
                return True
        return False

    def _outbox(self) -> Path | None:
        return Path(self.outbox.text().strip()) if self.outbox.text().strip() else None

    def _enable(self) -> None:
        self.trust_button.setEnabled(bool(self.pending_view.selectionModel().selectedRows()))
        busy, outbox = self._busy, self._outbox()
        self.merge_button.setEnabled(not busy)
        self.updates_button.setEnabled(not busy and outbox is not None)
        self.updates_hint.setVisible(outbox is None)
        self.updates_button.setToolTip(_("Choose an outbox folder first.") if outbox is None else
                                       _("Writes every trusted laptop a file with what it has not seen yet, in "
                                         "its own folder in {folder}.").format(folder=outbox))  # fmt: skip

    def _working(self, busy: bool) -> None:
        self._busy = busy
        self._enable()

    # -- merging -------------------------------------------------------------------------

    def merge(self) -> None:
        inbox = Path(self.inbox.text().strip()) if self.inbox.text().strip() else None
        if inbox is None or not inbox.is_dir():
            self.status.setText(_("Choose an existing inbox folder first."))
            return
        outbox = self._outbox()
        self.set_folders(inbox, outbox)
        self._working(True)
        self.status.setText(_("Merging…"))
        in_worker(self, self.kit, self.bridge, lambda own: exchange.merge_inbox(own, inbox, outbox),
                  lambda report: self.show_report(report, outbox), self._failed, _("Merging…"))  # fmt: skip

    def _failed(self, error: BaseException) -> None:
        self._working(False)
        self.status.setText(failure_text(error))
        if not isinstance(error, KitError):
            errors.report(self, error)

    def _line(self, text: str, kind: str) -> None:
        item = QListWidgetItem(text)
        item.setForeground(QBrush(QColor(COLOURS[kind])))
        item.setData(Qt.UserRole, kind)  # what kind of line, for tests
        self.results.addItem(item)

    def show_report(self, report: exchange.Report, outbox: Path | None) -> None:
        self._working(False)
        self.results.clear()
        for name, result in report.applied:
            self._line(_("Merged {file}: {counts}.").format(file=name, counts=counts_text([result])), "merged")
        for name, replica in report.waiting:
            self._line(_("Waiting for approval: {file} from laptop {replica}.").format(file=name, replica=replica),
                       "waiting")  # fmt: skip
        for error in report.refused:
            self._line(error.localized(), "refused")
        for name in report.already:
            self._line(_("Already merged: {file}.").format(file=name), "already")
        if not self.results.count():
            self._line(_("There were no bundles in the inbox."), "already")
        if outbox is None:
            self.status.setText(_("Merged. No outbox was chosen, so the laptops get no return bundle."))
        else:
            self.status.setText(_("Merged. {returns}").format(returns=returns_text(report, outbox)))
        self.refresh()
        self.merged.emit()

    # -- updates without a merge ----------------------------------------------------------------

    def write_updates(self) -> None:
        """Every trusted laptop's return bundle, written to the outbox in a worker thread."""
        outbox = self._outbox()
        if outbox is None:
            return
        self.set_folder(self.outbox, "hub/outbox", outbox)
        self._working(True)
        self.updates_status.setText(_("Writing updates…"))
        in_worker(self, self.kit, self.bridge, lambda own: exchange.send_updates(own, outbox),
                  lambda report: self._updates_written(report, outbox), self._updates_failed,
                  _("Writing updates…"))  # fmt: skip

    def _updates_written(self, report: exchange.Report, outbox: Path) -> None:
        self._working(False)
        self.updates_status.setText(returns_text(report, outbox))

    def _updates_failed(self, error: BaseException) -> None:
        self._working(False)
        if isinstance(error, OSError):
            self.updates_status.setText(_("The file could not be written: {reason}").format(
                reason=error.strerror or error))  # fmt: skip
            return
        self.updates_status.setText(failure_text(error))
        if not isinstance(error, KitError):
            errors.report(self, error)

    # -- trust and the key file ---------------------------------------------------------------

    def trust_selected(self) -> None:
        rows = self.pending_view.selectionModel().selectedRows()
        if not rows:
            return
        peer = self.pending.record(rows[0].row())
        try:
            keys.trust(self.kit, peer.replica, self.laptop_name.text().strip() or None)
        except KitError as error:
            self.status.setText(error.localized())
            return
        self.laptop_name.clear()
        self.status.setText(_("Laptop {replica} is trusted. Merge again to take in its bundles.").format(
            replica=peer.replica))  # fmt: skip
        self.refresh()

    def ask_key_file(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save hub key"), KEY_NAME)
        if path:
            self.save_key(Path(path))

    def save_key(self, path: Path) -> bool:
        try:
            keys.export_hub_key(self.kit, path)
        except OSError as error:
            self.status.setText(_("The file could not be written: {reason}").format(reason=error.strerror or error))
            return False
        self.status.setText(_("Hub key saved as {path}. Give this file to the facilitators.").format(path=path))
        return True


def returns_text(report: exchange.Report, outbox: Path) -> str:
    """How many laptops got an update file in ``outbox``, and how many already had their latest one."""
    written, unchanged = len(report.written), len(report.unchanged)
    if not written and not unchanged:
        return _("There are no trusted laptops yet, so no updates were written.")
    if not written:
        return ngettext("Nothing new: the laptop already has its latest update file in {folder}.",
                        "Nothing new: all {n} laptops already have their latest update file in {folder}.",
                        unchanged).format(n=unchanged, folder=outbox)  # fmt: skip
    text = ngettext("{n} laptop got an update file in {folder}.", "{n} laptops got an update file in {folder}.",
                    written).format(n=written, folder=outbox)  # fmt: skip
    if unchanged:
        text += " " + ngettext("{n} other laptop already had its latest one.",
                               "{n} other laptops already had their latest one.", unchanged).format(n=unchanged)  # fmt: skip
    return text
