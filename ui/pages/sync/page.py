"""Synchroniseren: a laptop sends its results to the municipality's hub and fetches updates.

The laptop shows its own fingerprint and the hub's, to compare aloud
(sync_identity.py), and imports the hub's key file once; then 'Nu versturen' writes one bundle
to an outbox folder (a USB stick, a Syncthing or Nextcloud folder) and 'Updates
ophalen' applies the hub's return bundles. 'Wat de gemeente ziet' shows first what the next
bundle carries, names of people without "Delen" replaced (sync_preview.py). Export and import run in a worker
thread on a Kit of its own (``sync_common.in_worker``); what that Kit changed is relayed
through the bridge, so the other pages refresh. The second tab is the
municipality's side (hub_page.py); on the hub's own database it is the only one. A bundle or
hub key file double-clicked outside Wijkkit is opened here too (``open_bundle``, ``open_key``,
called by ui/open_file.py).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wijkkit.errors import KitError
from wijkkit.i18n import _, ngettext
from wijkkit.kit import Kit
from wijkkit.sync import exchange, keys, preview
from wijkkit.sync.bundle import is_bundle_name

from ... import errors
from ...a11y import name
from ...bridge import KitBridge
from ...files import existing_directory, open_file_names
from ...widgets import Card, Page, button_row, muted
from .common import counts_text, failure_text, folder_row, in_worker, scrolling
from .identity import IdentityPanel
from .preview import PreviewDialog

SUFFIX = ".wijksync"


class LaptopTab(QWidget):
    """This laptop: who it is and which hub it sends to, sending a bundle, fetching updates."""

    def __init__(self, kit: Kit, bridge: KitBridge) -> None:
        super().__init__()
        self.kit, self.bridge, self._stale = kit, bridge, False
        settings = QSettings()
        self.identity = IdentityPanel(kit)
        self.identity.hub_changed.connect(self.show_hub)

        send = Card(_("Send"))
        self.outbox = QLineEdit(str(settings.value("sync/outbox", "") or ""), objectName="outbox",
                                placeholderText=_("The folder the municipality reads, e.g. on a USB stick"))  # fmt: skip
        # the placeholder is a hint, not a name; "Outbox" was the name, while the guide has the
        # facilitator choose the hub's inbox here: a screen reader says what the folder is for
        name(self.outbox, _("Folder to send to"))
        self.send_button = QPushButton(_("Send now"), objectName="sendNow", clicked=self.send_now)
        send.body.addLayout(folder_row(self.outbox, self.ask_outbox, self.send_button))
        self.preview_button = QPushButton(_("What the municipality sees…"), objectName="previewButton",
                                          clicked=self.show_preview)  # fmt: skip
        self.preview_dialog: PreviewDialog | None = None
        send.body.addLayout(button_row(self.preview_button))
        self.unsent = QLabel(objectName="unsent", wordWrap=True)
        send.body.addWidget(self.unsent)
        self.send_status = QLabel(objectName="info", wordWrap=True)
        send.body.addWidget(self.send_status)

        fetch = self.fetch_card = Card(_("Fetch"))
        self.fetch_button = QPushButton(_("Fetch updates…"), clicked=self.ask_files)
        self.folder_button = QPushButton(_("Fetch a folder of updates…"), clicked=self.ask_inbox)
        fetch.body.addLayout(button_row(self.fetch_button, self.folder_button))
        self.fetch_status = QLabel(objectName="fetchResult", wordWrap=True)
        fetch.body.addWidget(self.fetch_status)

        how = Card(_("How it works"))
        how.body.addWidget(muted(_(
            "'Send now' puts one file with your new and changed data in the folder you chose. "
            "The file is locked (encrypted) so that only the municipality can open it, and signed so that "
            "the municipality knows it comes from this laptop and nobody changed it.\n\n"
            "Any folder will do: a USB stick you hand over, or a folder that Syncthing or Nextcloud "
            "shares with the municipality. You need no internet connection while you work.\n\n"
            "The municipality combines the files of all laptops and sends each laptop a file back. "
            "With 'Fetch updates' you take that file in. When two people changed the same thing, "
            "nothing is lost: the municipality decides which version stays.")))  # fmt: skip
        how.body.addStretch(1)

        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(self.identity)
        left.addStretch(1)
        for card in (send, fetch):
            right.addWidget(card)
        right.addWidget(how, 1)
        content = QWidget(objectName="laptopContent")
        self.columns = QBoxLayout(QBoxLayout.LeftToRight, content)
        self.columns.setContentsMargins(0, 0, 0, 0)
        self.columns.addLayout(left, 1)
        self.columns.addLayout(right, 1)
        self._halves = (left, right)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.scroll = scrolling(content)
        layout.addWidget(self.scroll)  # the cards stay readable on a small screen: the tab scrolls down
        bridge.changed.connect(self._on_change)
        self.show_hub()

    def resizeEvent(self, event) -> None:  # noqa: N802
        """Two columns side by side when they fit; on a small screen one below the other (no sideways scrolling)."""
        super().resizeEvent(event)
        needed = sum(half.minimumSize().width() for half in self._halves) + self.columns.spacing() + 24
        wanted = QBoxLayout.LeftToRight if event.size().width() >= needed else QBoxLayout.TopToBottom
        if self.columns.direction() != wanted:
            self.columns.setDirection(wanted)

    def show_hub(self) -> None:
        hub = keys.hub_of(self.kit)
        self.send_button.setEnabled(hub is not None)
        self.preview_button.setEnabled(hub is not None)
        self.fetch_button.setEnabled(hub is not None)
        self.folder_button.setEnabled(hub is not None)
        self.show_unsent()

    def import_key(self, path: Path) -> bool:
        return self.identity.import_key(path)

    def show_unsent(self) -> None:
        """How many changes the next bundle carries: those the hub has not confirmed receiving."""
        self._stale = False
        self.unsent.setVisible(keys.hub_of(self.kit) is not None)
        if keys.hub_of(self.kit) is None:
            return
        count = exchange.unsent(self.kit)
        if count:
            self.unsent.setText(ngettext(
                "{n} change still to send. It goes along with every send until the hub confirms it "
                "(with the update file you fetch).",
                "{n} changes still to send. They go along with every send until the hub confirms them "
                "(with the update file you fetch).", count).format(n=count))  # fmt: skip
        else:
            self.unsent.setText(_("Nothing to send: the hub has confirmed all your changes."))

    def _on_change(self, _changes: dict) -> None:
        if self.isVisible():
            self.show_unsent()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.show_unsent()

    # -- sending -----------------------------------------------------------------------------

    def ask_outbox(self) -> None:
        folder = existing_directory(self, _("Folder to send to"), self.outbox.text())
        if folder:
            self.set_outbox(Path(folder))

    def set_outbox(self, folder: Path) -> None:
        self.outbox.setText(str(folder))
        QSettings().setValue("sync/outbox", str(folder))

    def send_now(self) -> None:
        text = self.outbox.text().strip()
        if not text:
            self.send_status.setText(_("Choose a folder to send to first."))
            return
        self.set_outbox(Path(text))
        self.send_button.setEnabled(False)
        self.send_status.setText(_("Sending…"))
        in_worker(self, self.kit, self.bridge, lambda own: exchange.export(own, Path(text)), self._sent,
                  self._send_failed, _("Sending…"))  # fmt: skip

    def _sent(self, path: Path) -> None:
        self.send_button.setEnabled(True)
        self.show_unsent()
        self.send_status.setText(_("Sent: {file}").format(file=path.name))
        self.send_status.setToolTip(str(path))

    def _send_failed(self, error: BaseException) -> None:
        self.send_button.setEnabled(True)
        self.send_status.setText(failure_text(error))
        if not isinstance(error, KitError):
            errors.report(self, error)

    def show_preview(self) -> None:
        """'Wat de gemeente ziet': the next bundle, read in a worker, shown in a dialog before sending."""
        self.preview_button.setEnabled(False)
        in_worker(self, self.kit, self.bridge, preview.compute, self._previewed, self._preview_failed,
                  _("Reading what the next send carries…"))  # fmt: skip

    def _previewed(self, found: preview.Preview) -> None:
        self.preview_button.setEnabled(True)
        self.preview_dialog = PreviewDialog(found, self.send_now, self)
        self.preview_dialog.open()

    def _preview_failed(self, error: BaseException) -> None:
        self.preview_button.setEnabled(True)
        self.send_status.setText(failure_text(error))
        if not isinstance(error, KitError):
            errors.report(self, error)

    # -- fetching -----------------------------------------------------------------------------

    def ask_files(self) -> None:
        files, _filter = open_file_names(self, _("Fetch updates"), str(QSettings().value("sync/inbox", "") or ""),
                                                      _("Updates ({pattern})").format(pattern="*" + SUFFIX))  # fmt: skip
        if files:
            self.fetch([Path(f) for f in files])

    def ask_inbox(self) -> None:
        folder = existing_directory(self, _("Folder with updates"), str(QSettings().value("sync/inbox", "") or ""))
        if folder:
            self.fetch_folder(Path(folder))

    def fetch_folder(self, folder: Path) -> None:
        """Every update in ``folder``, or in its subfolder for this laptop (the hub's outbox)."""
        QSettings().setValue("sync/inbox", str(folder))
        own = folder / self.kit.replica_id
        files = sorted(p for where in (folder, own) if where.is_dir() for p in where.iterdir()
                       if p.is_file() and is_bundle_name(p))  # fmt: skip
        if not files:
            self.fetch_status.setText(_("There are no update files ({pattern}) in {folder}.").format(
                pattern="*" + SUFFIX, folder=folder))  # fmt: skip
            return
        self.fetch(files)

    def open_update(self, path: Path) -> None:
        """An update file opened from outside Wijkkit (double-clicked, ui/open_file.py): fetched like the
        ones chosen here, with its result in the Fetch card, scrolled into view."""
        self.fetch([path])
        QTimer.singleShot(0, lambda: self.scroll.ensureWidgetVisible(self.fetch_card))

    def fetch(self, files: list[Path]) -> None:
        self.fetch_button.setEnabled(False)
        self.folder_button.setEnabled(False)
        self.fetch_status.setText(_("Fetching…"))
        in_worker(self, self.kit, self.bridge, lambda own: exchange.import_files(own, files), self._fetched,
                  self._fetch_failed, _("Fetching…"))  # fmt: skip

    def _fetched(self, report: exchange.Report) -> None:
        self.show_hub()  # the hub confirmed what it received: fewer changes still to send
        lines = []
        if report.applied:
            bundles = ngettext("{n} update fetched", "{n} updates fetched", len(report.applied)).format(
                n=len(report.applied))  # fmt: skip
            results = [r for _f, r in report.applied]
            if any(r.applied or r.deleted or r.conflicts for r in results):
                lines.append(_("{what}: {counts}.").format(what=bundles, counts=counts_text(results)))
            else:
                lines.append(_("{what}: nothing new.").format(what=bundles))
        if report.already:
            count = len(report.already)
            lines.append(ngettext("{n} update was fetched before.", "{n} updates were fetched before.", count).format(n=count))
        if report.refused:
            count = len(report.refused)
            lines.append(ngettext("{n} file was refused:", "{n} files were refused:", count).format(n=count))
            lines += ["• " + error.localized() for error in report.refused]
        self.fetch_status.setText("\n".join(lines))

    def _fetch_failed(self, error: BaseException) -> None:
        self.show_hub()
        self.fetch_status.setText(failure_text(error))
        if not isinstance(error, KitError):
            errors.report(self, error)


def intro_text(kit: Kit) -> str:
    if keys.is_hub(kit):
        return _("Merge what the laptops send, approve new laptops, review conflicts and see the overview "
                 "per neighbourhood.")  # fmt: skip
    return _("Send your results to the municipality as a signed, encrypted file, and receive updates back.")


class SyncPage(Page):
    def __init__(self, kit: Kit, bridge: KitBridge, clock=None) -> None:
        super().__init__(_("Synchronise"), intro_text(kit))
        self.intro = self.layout_.itemAt(1).widget()
        from .hub_page import HubPage

        self.kit = kit
        self.tabs = QTabWidget(objectName="syncTabs")
        self.laptop = LaptopTab(kit, bridge)
        self.hub = HubPage(kit, bridge, clock)
        self.tabs.addTab(self.laptop, _("This laptop"))
        self.tabs.addTab(self.hub, _("Municipality (hub)"))
        self.hub.became_hub.connect(self.show_role)
        self.hub.became_hub.connect(self._retitle)
        self.layout_.addWidget(self.tabs, 1)
        self.show_role()

    def open_bundle(self, path: Path) -> None:
        """A bundle opened from outside Wijkkit: on the hub a laptop's bundle, merged on the tab Merge;
        on a laptop the hub's return bundle, fetched on the laptop tab."""
        if keys.is_hub(self.kit):
            self.tabs.setCurrentWidget(self.hub)
            self.hub.tabs.setCurrentWidget(self.hub.merge_tab)
            self.hub.merge_tab.merge_file(path)
        else:
            self.tabs.setCurrentWidget(self.laptop)
            self.laptop.open_update(path)

    def open_key(self, path: Path) -> bool:
        """A hub key file opened from outside Wijkkit, on a laptop: joined after a question (IdentityPanel)."""
        self.tabs.setCurrentWidget(self.laptop)
        return self.laptop.identity.offer_key(path)

    def _retitle(self) -> None:
        """The window says it is the hub's from now on (ui.app.window_title)."""
        from ...app import window_title

        self.window().setWindowTitle(window_title(self.kit))

    def show_role(self) -> None:
        """On the hub's own database the laptop tab has no use: only the hub is shown."""
        hub = keys.is_hub(self.kit)
        self.tabs.setTabVisible(0, not hub)
        self.tabs.tabBar().setVisible(not hub)  # one tab left: its own tabs are enough
        # and Tab passes over it: a hidden tab bar that took the focus would lose it (issue 17)
        self.tabs.tabBar().setFocusPolicy(Qt.TabFocus if not hub else Qt.NoFocus)
        self.intro.setText(intro_text(self.kit))
        if hub:
            self.tabs.setCurrentIndex(1)
