"""Laptops at the hub: which keys wait for approval, which laptops are trusted, and what they serve.

Nothing is trusted by a laptop's id alone (anyone can copy an id): every key that sent
a bundle in a laptop's name waits here with its fingerprint, and the coordinator
approves one by typing the fingerprint the facilitator reads out (hub_dialogs.py).
Several keys for one id, or a key for an id already trusted, are shown with a warning.
A trusted laptop can be revoked (lost, or its data copied to another computer: then
it is flagged here); its update files in the outbox are removed at once. The
neighbourhoods a laptop serves decide what it gets and may change (wijkkit.sync.scope).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wijkkit.errors import KitError
from wijkkit.i18n import N_, _, gettext, ngettext
from wijkkit.kit import Kit
from wijkkit.sync import keys, returns, scope
from wijkkit.sync.bundle import SUFFIX

from ...models.records import RecordTableModel
from ...widgets import Card, button_row, muted
from .common import WarnedTableModel, moment, table_view, warning_label
from .hub_dialogs import HOW, ApproveDialog, NeighbourhoodsDialog, claim_warning

COPIED = N_("The data of this laptop was copied to another computer")


def laptop_name(peer: keys.Peer) -> str:
    return peer.name or peer.replica


def peer_state(peer: keys.Peer) -> str:
    if not peer.trusted:
        return _("Revoked on {date}").format(date=moment(peer.revoked_at))
    return _("Trusted, but copied!") if peer.copied_at else _("Trusted")


def last_bundle(peer: keys.Peer) -> str:
    if not peer.last_bundle:
        return ""
    number = peer.last_bundle.removeprefix(peer.replica + "-").removesuffix(SUFFIX)
    return f"{number}, {moment(peer.last_bundle_at)}"


class LaptopsTab(QWidget):
    """The approval queue, the trusted (and revoked) laptops, and the selected laptop's neighbourhoods."""

    counted = Signal(int)  # keys waiting for approval

    def __init__(self, kit: Kit, outbox: Callable[[], Path | None]) -> None:
        super().__init__()
        self.kit, self.outbox = kit, outbox
        waiting = Card(_("Waiting for approval"))
        waiting.body.addWidget(muted(_(
            "A laptop that sends for the first time waits here. Only approve a key after comparing its "
            "fingerprint with the facilitator, by phone or in person.")))  # fmt: skip
        self.pending = WarnedTableModel(lambda: keys.pending(kit), [
            (N_("Laptop id"), lambda c: c.replica), (N_("Fingerprint"), lambda c: c.fingerprint),
            (N_("First seen"), lambda c: moment(c.first_seen), lambda c: c.first_seen or ""),
            (N_("Warning"), claim_warning)], lambda c: bool(claim_warning(c)), self)  # fmt: skip
        self.pending_view = table_view(self.pending, "pendingLaptops", _("Waiting for approval"))
        waiting.body.addWidget(self.pending_view, 1)
        self.claim_warning = warning_label()
        waiting.body.addWidget(self.claim_warning)
        self.approve_button = QPushButton(_("Approve…"), objectName="approveButton", clicked=self.approve_selected)
        self.forget_button = QPushButton(_("Remove…"), objectName="forgetClaim", clicked=self.ask_forget)
        self.forget_button.setToolTip(_("Remove a key you do not know from this list. If it sends again, it is "
                                        "back."))  # fmt: skip
        waiting.body.addLayout(button_row(self.approve_button, self.forget_button))

        trusted = Card(_("Trusted laptops"))
        self.laptops = WarnedTableModel(lambda: keys.peers(kit), [
            (N_("Name"), lambda p: p.name), (N_("Laptop id"), lambda p: p.replica),
            (N_("Fingerprint"), lambda p: p.fingerprint),
            (N_("Last bundle"), last_bundle, lambda p: p.last_bundle_at or ""),
            (N_("State"), peer_state)], lambda p: bool(p.copied_at) and bool(p.trusted), self)  # fmt: skip
        self.laptops_view = table_view(self.laptops, "trustedLaptops", _("Trusted laptops"))
        self.peer_warning = warning_label()
        self.revoke_button = QPushButton(_("Revoke…"), objectName="revokeButton", clicked=self.ask_revoke)
        self.assign_button = QPushButton(_("Assign neighbourhoods…"), objectName="assignButton",
                                         clicked=self.choose_neighbourhoods)  # fmt: skip
        self.assign_button.setToolTip(_("Choose the neighbourhoods this laptop serves."))
        self.served = RecordTableModel(self._served, [
            (N_("Neighbourhood"), lambda n: n["name"] or n["id"]),
            (N_("How"), lambda n: gettext(HOW.get(n["how"], n["how"])))], self)  # fmt: skip
        self.served_view = table_view(self.served, "servedNeighbourhoods", _("Neighbourhoods"))
        self.served_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.served_view.horizontalHeader().setStretchLastSection(False)
        self.served_caption = QLabel(objectName="h2", wordWrap=True)
        self.served_empty = muted(_("This laptop serves no neighbourhood yet: it gets nothing back from the hub."))
        left = QVBoxLayout()
        left.addWidget(self.laptops_view, 1)
        left.addWidget(self.peer_warning)
        left.addLayout(button_row(self.revoke_button, self.assign_button))
        right = QVBoxLayout()
        right.addWidget(self.served_caption)
        right.addWidget(self.served_view, 1)
        right.addWidget(self.served_empty)
        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addLayout(right, 2)
        trusted.body.addLayout(columns, 1)

        self.status = QLabel(objectName="info", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(waiting, 1)
        layout.addWidget(trusted, 1)
        layout.addWidget(self.status)
        self.pending_view.selectionModel().selectionChanged.connect(lambda *_args: self._claim_chosen())
        self.laptops_view.selectionModel().selectionChanged.connect(lambda *_args: self._laptop_chosen())
        self.refresh()

    # -- what is chosen ---------------------------------------------------------------------------

    def claim(self) -> keys.Claim | None:
        rows = self.pending_view.selectionModel().selectedRows()
        return self.pending.record(rows[0].row()) if rows else None

    def peer(self) -> keys.Peer | None:
        rows = self.laptops_view.selectionModel().selectedRows()
        return self.laptops.record(rows[0].row()) if rows else None

    def _served(self) -> list[dict]:
        peer = self.peer()
        return scope.neighbourhoods(self.kit, peer.replica) if peer is not None else []

    def refresh(self, keep: str | None = None) -> None:
        """Reload both lists; select the laptop ``keep`` (or the one selected before), else the first."""
        chosen = keep or (self.peer().replica if self.peer() is not None else None)
        self.pending.refresh()
        self.laptops.refresh()
        if self.pending.rowCount():
            self.pending_view.selectRow(0)
        replicas = [self.laptops.record(r).replica for r in range(self.laptops.rowCount())]
        if replicas:
            self.laptops_view.selectRow(replicas.index(chosen) if chosen in replicas else 0)
        self._claim_chosen()
        self._laptop_chosen()
        self.counted.emit(self.pending.rowCount())

    def select_claim(self, replica: str, fingerprint: str | None = None) -> bool:
        """Select a waiting key by its laptop's id (and fingerprint)."""
        for row in range(self.pending.rowCount()):
            claim = self.pending.record(row)
            if claim.replica == replica and fingerprint in (None, claim.fingerprint):
                self.pending_view.selectRow(row)
                return True
        return False

    def _claim_chosen(self) -> None:
        claim = self.claim()
        warning = claim_warning(claim) if claim is not None else ""
        if claim is not None and claim.id_trusted:
            warning += ". " + _("Is that laptop lost, or was its data copied? Revoke it below first; then "
                                "approve the key its facilitator reads out.")  # fmt: skip
        elif warning:
            warning += ". " + _("Approve only the key whose fingerprint the facilitator reads out; remove the "
                                "others.")  # fmt: skip
        self.claim_warning.setText(warning)
        self.claim_warning.setVisible(bool(warning))
        self.approve_button.setEnabled(claim is not None and not claim.id_trusted)
        self.forget_button.setEnabled(claim is not None)

    def _laptop_chosen(self) -> None:
        peer = self.peer()
        trusted = peer is not None and bool(peer.trusted)
        self.revoke_button.setEnabled(trusted)
        self.assign_button.setEnabled(trusted)
        copied = trusted and bool(peer.copied_at)
        self.peer_warning.setText(gettext(COPIED) + ". " + _(
            "Revoke it; the facilitator then makes new keys and you approve the laptop again.") if copied else "")  # fmt: skip
        self.peer_warning.setVisible(copied)
        self.served.refresh()
        self.served_caption.setText(_("Neighbourhoods of {name}").format(name=laptop_name(peer)) if peer else
                                    _("Neighbourhoods"))  # fmt: skip
        self.served_empty.setVisible(trusted and self.served.rowCount() == 0)

    # -- approving and removing a waiting key ------------------------------------------------------

    def approve_selected(self) -> bool:
        claim = self.claim()
        if claim is None:
            return False
        dialog = ApproveDialog(self.kit, claim, self)
        accepted, peer = dialog.exec() == ApproveDialog.Accepted, dialog.peer
        dialog.deleteLater()
        if not accepted or peer is None:
            return False
        self.status.setText(_("Laptop {name} is trusted. Merge again to take in its bundles, and check which "
                              "neighbourhoods it serves.").format(name=laptop_name(peer)))  # fmt: skip
        self.refresh(keep=peer.replica)
        return True

    def ask_forget(self) -> None:
        claim = self.claim()
        if claim is None:
            return
        answer = QMessageBox.question(self, _("Remove waiting key"), _(
            "Remove the waiting key of laptop {replica} with fingerprint {fingerprint}?\n\nDo this for a key you "
            "do not know. Nothing it sent is taken in; if it sends again, it is back in this list.").format(
            replica=claim.replica, fingerprint=claim.fingerprint), QMessageBox.Yes | QMessageBox.No,
            QMessageBox.No)  # fmt: skip
        if answer == QMessageBox.Yes:
            keys.forget_claim(self.kit, claim.replica, claim.fingerprint)
            self.status.setText(_("The waiting key {fingerprint} was removed.").format(fingerprint=claim.fingerprint))
            self.refresh()

    # -- a trusted laptop ------------------------------------------------------------------------

    def ask_revoke(self) -> None:
        peer = self.peer()
        if peer is None or not peer.trusted:
            return
        answer = QMessageBox.question(self, _("Revoke laptop"), _(
            "Revoke laptop {name} (fingerprint {fingerprint})?\n\nDo this when the laptop was lost or its data "
            "was copied. From now on the hub refuses everything signed with this laptop's key, and the laptop "
            "gets no more updates; its update files in the outbox are removed.\n\nThe laptop can come back only "
            "with new keys: the facilitator makes them on the Synchronise page, and you approve the laptop again "
            "by its new fingerprint. This cannot be undone.").format(
            name=laptop_name(peer), fingerprint=peer.fingerprint), QMessageBox.Yes | QMessageBox.No,
            QMessageBox.No)  # fmt: skip
        if answer == QMessageBox.Yes:
            self.revoke(peer.replica)

    def revoke(self, replica: str) -> bool:
        """Revoke a trusted laptop and empty its folder in the outbox."""
        try:
            peer = keys.revoke(self.kit, replica)
        except KitError as error:
            self.status.setText(error.localized())
            return False
        outbox = self.outbox()
        if outbox is None:
            self.status.setText(_("Laptop {name} is revoked. No outbox folder is known: if there is a folder "
                                  "{replica} with update files in it, empty it yourself.").format(
                name=laptop_name(peer), replica=replica))  # fmt: skip
        else:
            removed = returns.empty_folder(Path(outbox) / replica)
            self.status.setText(ngettext(
                "Laptop {name} is revoked; {n} update file was removed from the outbox.",
                "Laptop {name} is revoked; {n} update files were removed from the outbox.", len(removed)).format(
                name=laptop_name(peer), n=len(removed)))  # fmt: skip
        self.refresh(keep=replica)
        return True

    def choose_neighbourhoods(self) -> bool:
        peer = self.peer()
        if peer is None or not peer.trusted:
            return False
        dialog = NeighbourhoodsDialog(self.kit, peer, self)
        accepted = dialog.exec() == NeighbourhoodsDialog.Accepted
        dialog.deleteLater()
        if not accepted:
            return False
        self.status.setText(_("Saved. 'Write updates for the laptops' on the Merge tab sends {name} what it now "
                              "serves.").format(name=laptop_name(peer)))  # fmt: skip
        self.refresh(keep=peer.replica)
        return True
