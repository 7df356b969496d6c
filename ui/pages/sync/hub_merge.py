"""Samenvoegen at the hub: the folders, the merge and what happened to each file.

The merge runs in a worker thread (``in_worker``) and lists every file: merged
(with its changes and conflicts, and how many of its changes were refused),
waiting for approval, refused with the reason, merged before, or skipped because
it was refused before. Merging also writes each laptop its return bundle; 'Updates
klaarzetten' writes them alone, after changes made at the hub. The laptops
themselves (approval, trust, neighbourhoods) are on their own tab (hub_laptops.py).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wijkkit.errors import KitError
from wijkkit.i18n import _, ngettext
from wijkkit.kit import Kit
from wijkkit.sync import exchange, keys

from ... import a11y, errors
from ...bridge import KitBridge
from ...files import existing_directory, save_file_name
from ...widgets import Card, button_row, muted
from .common import (
    counts_text,
    failure_text,
    fingerprint_label,
    folder_row,
    in_worker,
    scrolling,
    show_status,
)

KEY_NAME = "hub-sleutel.wijkhub"
COLOURS = {"merged": "#1f6f5c", "waiting": "#8a5200", "refused": "#b3261e", "already": "#55605c",
           "skipped": "#55605c"}


class MergeTab(QWidget):
    """Folders, 'Samenvoegen' and its results, and the updates for the laptops without a merge."""

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
        a11y.name(self.inbox, _("Inbox:"))
        a11y.name(self.outbox, _("Outbox:"))
        form.addRow(_("Inbox:"), folder_row(self.inbox, lambda: self._choose(self.inbox, "hub/inbox")))
        form.addRow(_("Outbox:"), folder_row(self.outbox, lambda: self._choose(self.outbox, "hub/outbox")))
        folders.body.addLayout(form)
        self.merge_button = QPushButton(_("Merge"), objectName="mergeButton", clicked=self.merge)
        folders.body.addLayout(button_row(self.merge_button))
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
        self.results = a11y.name(QListWidget(objectName="mergeResults"), _("What happened"))
        self.results.setWordWrap(True)
        result.body.addWidget(self.results)

        this_hub = Card(_("This hub"))
        this_hub.body.addWidget(muted(_("Fingerprint of this hub:")))
        this_hub.body.addWidget(fingerprint_label(keys.own_fingerprint(kit)))
        this_hub.body.addWidget(muted(_("Read it to a facilitator who imports the hub key: they compare it with "
                                        "the one on their laptop.")))  # fmt: skip
        self.key_button = QPushButton(_("Save hub key again…"), clicked=self.ask_key_file)
        this_hub.body.addLayout(button_row(self.key_button))
        left = QVBoxLayout()
        left.addWidget(folders)
        left.addWidget(updates)
        left.addWidget(this_hub)
        left.addStretch(1)
        self._left = left
        column = QWidget()
        column.setLayout(left)
        left.setContentsMargins(0, 0, 0, 0)
        scroll = scrolling(column)  # on a small screen the cards scroll; the results keep their height
        scroll.setMinimumWidth(column.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width())
        layout = QHBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(result, 1)
        self.outbox.textChanged.connect(lambda *_args: self._enable())
        self._enable()

    def add_card(self, card: QWidget) -> None:
        """Another card below the others (the hub's retention period): it scrolls with them."""
        self._left.insertWidget(self._left.count() - 1, card)

    def _choose(self, edit: QLineEdit, key: str) -> None:
        folder = existing_directory(self, _("Choose a folder"), edit.text())
        if folder:
            self.set_folder(edit, key, Path(folder))

    def set_folder(self, edit: QLineEdit, key: str, folder: Path) -> None:
        edit.setText(str(folder))
        QSettings().setValue(key, str(folder))

    def set_folders(self, inbox: Path, outbox: Path | None) -> None:
        self.set_folder(self.inbox, "hub/inbox", inbox)
        if outbox is not None:
            self.set_folder(self.outbox, "hub/outbox", outbox)

    def _outbox(self) -> Path | None:
        return Path(self.outbox.text().strip()) if self.outbox.text().strip() else None

    def outbox_folder(self) -> Path | None:
        """The outbox the laptops read: the one chosen here, else the one of the hub's last merge."""
        chosen = self._outbox()
        if chosen is not None:
            return chosen
        stored = self.kit._meta("sync_outbox")
        return Path(stored) if stored else None

    def _enable(self) -> None:
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
            show_status(self.status, _("Choose an existing inbox folder first."), error=True)
            return
        outbox = self._outbox()
        self.set_folders(inbox, outbox)
        self._working(True)
        show_status(self.status, _("Merging…"))
        in_worker(self, self.kit, self.bridge, lambda own: exchange.merge_inbox(own, inbox, outbox),
                  lambda report: self.show_report(report, outbox), self._failed, _("Merging…"))  # fmt: skip

    def merge_file(self, path: Path) -> None:
        """One laptop's bundle opened from outside Wijkkit (double-clicked): merged like the inbox (the
        return bundles go to the outbox chosen here, else to that of the last merge) and listed under
        What happened."""
        outbox = self.outbox_folder()
        self._working(True)
        show_status(self.status, _("Merging…"))
        in_worker(self, self.kit, self.bridge, lambda own: exchange.merge_files(own, [path], outbox),
                  lambda report: self.show_report(report, outbox), self._failed, _("Merging…"))  # fmt: skip

    def _failed(self, error: BaseException) -> None:
        self._working(False)
        show_status(self.status, failure_text(error), error=True)
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
        refused_in: dict[str, int] = {}
        for refusal in report.refusals:
            refused_in[refusal[0]] = refused_in.get(refusal[0], 0) + 1
        for name, count in refused_in.items():
            self._line(ngettext("In {file}, {n} change was refused: see the tab Refused changes.",
                                "In {file}, {n} changes were refused: see the tab Refused changes.",
                                count).format(file=name, n=count), "refused")  # fmt: skip
        for name in report.already:
            self._line(_("Already merged: {file}.").format(file=name), "already")
        for name, _reason in report.skipped:
            self._line(_("Skipped {file}: it was refused before and has not changed since.").format(file=name),
                       "skipped")  # fmt: skip
        if not self.results.count():
            self._line(_("There were no bundles in the inbox."), "already")
        show_status(self.status, merge_summary(report, outbox))
        self.merged.emit()

    # -- updates without a merge ----------------------------------------------------------------

    def write_updates(self) -> None:
        """Every trusted laptop's return bundle, written to the outbox in a worker thread."""
        outbox = self._outbox()
        if outbox is None:
            return
        self.set_folder(self.outbox, "hub/outbox", outbox)
        self._working(True)
        show_status(self.updates_status, _("Writing updates…"))
        in_worker(self, self.kit, self.bridge, lambda own: exchange.send_updates(own, outbox),
                  lambda report: self._updates_written(report, outbox), self._updates_failed,
                  _("Writing updates…"))  # fmt: skip

    def _updates_written(self, report: exchange.Report, outbox: Path) -> None:
        self._working(False)
        show_status(self.updates_status, returns_text(report, outbox))

    def _updates_failed(self, error: BaseException) -> None:
        self._working(False)
        if isinstance(error, OSError):
            show_status(self.updates_status, _("The file could not be written: {reason}").format(
                reason=error.strerror or error), error=True)  # fmt: skip
            return
        show_status(self.updates_status, failure_text(error), error=True)
        if not isinstance(error, KitError):
            errors.report(self, error)

    # -- the key file -------------------------------------------------------------------------

    def ask_key_file(self) -> None:
        path, _filter = save_file_name(self, _("Save hub key"), KEY_NAME)
        if path:
            self.save_key(Path(path))

    def save_key(self, path: Path) -> bool:
        try:
            keys.export_hub_key(self.kit, path)
        except OSError as error:
            show_status(self.status, _("The file could not be written: {reason}").format(reason=error.strerror or error),
                        error=True)  # fmt: skip
            return False
        show_status(self.status, _("Hub key saved as {path}. Give this file to the facilitators.").format(path=path))
        return True


def merge_summary(report: exchange.Report, outbox: Path | None) -> str:
    """What a merge did, in one line: 'Merged' only when something was merged; a bundle whose laptop
    still waits for approval, or an inbox with nothing new, says so."""
    if report.applied:
        if outbox is None:
            return _("Merged. No outbox was chosen, so the laptops get no return bundle.")
        return _("Merged. {returns}").format(returns=returns_text(report, outbox))
    if report.waiting:
        count = len(report.waiting)
        head = ngettext("Nothing merged: {n} bundle waits until its laptop is approved on the tab Laptops.",
                        "Nothing merged: {n} bundles wait until their laptops are approved on the tab Laptops.",
                        count).format(n=count)  # fmt: skip
    else:
        head = _("Nothing new to merge.")
    if outbox is None:
        return head
    return f"{head} {returns_text(report, outbox)}"


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
