"""The hub's two dialogs about a laptop: approving its key, and choosing the neighbourhoods it serves.

Approving is done by comparing fingerprints over the phone: the facilitator reads the
fingerprint from the laptop's Synchroniseren page and the coordinator types what they
hear. Only when it is the waiting key's own fingerprint is it trusted (``keys.trust``
with what was typed); any other is refused here, and nothing is trusted.

The neighbourhoods are a checkable list, usable by keyboard (arrows and Space); saving
assigns the newly ticked ones and unassigns those no longer ticked (``scope``).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from wijkkit.errors import KitError
from wijkkit.i18n import N_, _, gettext
from wijkkit.kit import Kit
from wijkkit.sync import keys, scope
from wijkkit.sync.identity import normalise

from ...models.records import CHECK_STATE, RecordTableModel
from ...widgets import dialog_buttons, muted
from .common import fingerprint_label, table_view, warning_label

HOW = {"created": N_("created itself"), "assigned": N_("assigned")}  # how a laptop came to serve one
WARNINGS = {"rivals": N_("Several keys claim this laptop: compare the fingerprint"),
            "id_trusted": N_("This laptop is already trusted with another key")}  # fmt: skip


def claim_warning(claim: keys.Claim) -> str:
    """The warning shown with a waiting key, or ''."""
    if claim.id_trusted:
        return gettext(WARNINGS["id_trusted"])
    return gettext(WARNINGS["rivals"]) if claim.rivals else ""


class ApproveDialog(QDialog):
    """Trust a waiting key once the coordinator typed the fingerprint the facilitator reads out."""

    def __init__(self, kit: Kit, claim: keys.Claim, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kit, self.claim, self.peer = kit, claim, None
        self.setWindowTitle(_("Approve laptop"))
        self.setMinimumWidth(500)
        layout = QVBoxLayout(self)
        layout.addWidget(muted(_(
            "Phone the facilitator of laptop {replica}. Ask them to read out the fingerprint on their "
            "Synchronise page, and type what you hear. Wijkkit compares it with the key that is waiting:").format(
            replica=claim.replica)))  # fmt: skip
        layout.addWidget(fingerprint_label(claim.fingerprint))
        self.warning = warning_label()
        if claim_warning(claim):
            self.warning.setText(claim_warning(claim) + ".")
            self.warning.show()
        layout.addWidget(self.warning)
        form = QFormLayout()
        self.typed = QLineEdit(objectName="typedFingerprint", placeholderText="ABCD-EFGH-IJKL-MNOP-QRST-UVWX")
        self.name = QLineEdit(objectName="laptopName", placeholderText=_("Name (optional), e.g. the facilitator's"))
        form.addRow(_("Fingerprint read out:"), self.typed)
        form.addRow(_("Name:"), self.name)
        layout.addLayout(form)
        self.error = QLabel(objectName="formError", wordWrap=True)
        self.error.hide()
        layout.addWidget(self.error)
        own = QLabel(keys.own_fingerprint(kit), objectName="hubFingerprint")
        own.setTextInteractionFlags(Qt.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow(muted(_("In return, read this hub's fingerprint to the facilitator:")), own)
        layout.addLayout(form)
        layout.addWidget(dialog_buttons(self, _("Trust")))
        self.typed.setFocus()

    def accept(self) -> None:
        typed = normalise(self.typed.text())
        if not typed:
            self._refuse(_("Type the fingerprint as the facilitator reads it out: 6 groups of 4 letters and digits "
                           "(dashes and spaces do not matter). Nothing was trusted."))  # fmt: skip
            return
        if typed != self.claim.fingerprint:
            other = any(c.replica == self.claim.replica and c.fingerprint == typed for c in keys.pending(self.kit))
            self._refuse(_("The fingerprint you typed does not belong to the key waiting here. Nothing was trusted.")
                         + " " + (_("It is the fingerprint of another key waiting for this laptop: approve that one "
                                    "instead.") if other else
                                  _("Ask the facilitator to read it out again. If it still differs, this key may be "
                                    "someone else's: do not trust it.")))  # fmt: skip
            return
        try:
            self.peer = keys.trust(self.kit, self.claim.replica, self.typed.text(), self.name.text().strip() or None)
        except KitError as error:
            self._refuse(error.localized())
            return
        super().accept()

    def _refuse(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.typed.setFocus()
        self.typed.selectAll()


class ChoiceModel(RecordTableModel):
    """Neighbourhoods with a check box in the first column: ticked are those the laptop will serve."""

    def __init__(self, load, columns, ticked: set[str], parent=None) -> None:
        self.ticked = set(ticked)
        super().__init__(load, columns, parent)

    def flags(self, index: QModelIndex):
        flags = super().flags(index)
        return flags | Qt.ItemIsUserCheckable if index.column() == 0 else flags

    def data(self, index: QModelIndex, role: int = 0):
        if role == CHECK_STATE and index.isValid() and index.column() == 0:
            return Qt.Checked if self.record(index.row()).id in self.ticked else Qt.Unchecked
        return super().data(index, role)

    def setData(self, index: QModelIndex, value, role: int = CHECK_STATE) -> bool:  # noqa: N802
        if role != CHECK_STATE or not index.isValid() or index.column() != 0:
            return False
        wanted = Qt.CheckState(value) == Qt.Checked if not isinstance(value, bool) else value
        (self.ticked.add if wanted else self.ticked.discard)(self.record(index.row()).id)
        self.dataChanged.emit(index, index, [CHECK_STATE])
        return True


class NeighbourhoodsDialog(QDialog):
    """Tick the neighbourhoods a trusted laptop serves; Save assigns and unassigns the difference."""

    def __init__(self, kit: Kit, peer: keys.Peer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kit, self.peer = kit, peer
        self.setWindowTitle(_("Neighbourhoods of {name}").format(name=peer.name or peer.replica))
        self.setMinimumSize(480, 380)
        self.served = {row["id"]: row["how"] for row in scope.neighbourhoods(kit, peer.replica)}
        self.model = ChoiceModel(self._load, [
            (N_("Neighbourhood"), lambda n: n.name), (N_("Municipality"), lambda n: n.municipality or ""),
            (N_("How"), lambda n: gettext(HOW[self.served[n.id]]) if n.id in self.served else "")],
            set(self.served), self)  # fmt: skip
        self.view = table_view(self.model, "neighbourhoodChoice", _("Neighbourhoods"))
        layout = QVBoxLayout(self)
        layout.addWidget(muted(_(
            "Tick the neighbourhoods this laptop serves (Space ticks the chosen line): it gets their meetings, "
            "people and agreements, and may change them. Untick one to take it away: what the laptop already has "
            "stays on it, but it gets no more updates of it and its changes to it are refused.")))  # fmt: skip
        layout.addWidget(self.view, 1)
        self.error = QLabel(objectName="formError", wordWrap=True)
        self.error.hide()
        layout.addWidget(self.error)
        layout.addWidget(dialog_buttons(self, _("Save")))
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, 0))
        self.view.setFocus()

    def _load(self) -> list:
        listed = self.kit.neighbourhoods.list()
        known = {n.id for n in listed}
        archived = [n for n in self.kit.neighbourhoods.list(include_archived=True) if n.id in self.served and n.id not in known]
        return listed + archived  # a served neighbourhood that was archived can still be taken away

    def accept(self) -> None:
        ticked = self.model.ticked
        added = [n for n in ticked if n not in self.served]
        removed = [n for n in self.served if n not in ticked]
        try:
            if added:
                scope.assign(self.kit, self.peer.replica, added)
            if removed:
                scope.unassign(self.kit, self.peer.replica, removed)
        except KitError as error:
            self.error.setText(error.localized())
            self.error.show()
            return
        super().accept()
