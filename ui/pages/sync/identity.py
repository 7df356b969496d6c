"""Who this laptop is and which hub it trusts: the two fingerprints people compare aloud.

Trust between a laptop and the municipality's hub rests on their keys, shown as
fingerprints (wijkkit.sync.identity). The facilitator reads this laptop's fingerprint
to the coordinator over the phone, and checks the hub's against the one the
coordinator reads back; so both are shown large and selectable on the Synchroniseren
page. Here the laptop also imports the hub's key file (switching to another hub only
after a question) and, after the municipality revoked it, makes new keys.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wijkkit.errors import KitError
from wijkkit.i18n import _
from wijkkit.kit import Kit
from wijkkit.sync import keys

from ...files import open_file_name
from ...widgets import Card, button_row, muted
from .common import fingerprint_label, show_status

KEY_FILTER = "*.wijkhub *.json"


def hub_name(hub: keys.HubKey) -> str:
    return hub.name or _("the municipality")


def with_status(card: Card, button: QPushButton) -> QLabel:
    """``button`` in ``card`` with a status line under it that says what it did (hidden until then)."""
    status = QLabel(objectName="info", wordWrap=True)
    status.hide()
    card.body.addLayout(button_row(button))
    card.body.addWidget(status)
    return status


class IdentityPanel(QWidget):
    """Two cards: this laptop (fingerprint, id, new keys) and its hub (name, fingerprint, key file)."""

    hub_changed = Signal()

    def __init__(self, kit: Kit) -> None:
        super().__init__()
        self.kit = kit
        own = Card(_("This laptop"))
        own.body.addWidget(muted(_("Your fingerprint:")))
        self.fingerprint = fingerprint_label()
        own.body.addWidget(self.fingerprint)
        form = QFormLayout()
        self.replica = QLabel(kit.replica_id, objectName="laptopId")
        self.replica.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        form.addRow(_("Laptop id:"), self.replica)
        own.body.addLayout(form)
        own.body.addWidget(muted(_(
            "Read your fingerprint aloud to the municipality's coordinator when they approve this laptop, and "
            "check that the hub's fingerprint below is the one the coordinator reads to you.")))  # fmt: skip
        self.new_keys_button = QPushButton(_("Make new keys…"), objectName="newKeys", clicked=self.ask_new_keys)
        self.new_keys_button.setToolTip(_("Only needed after the municipality revoked this laptop."))
        self.keys_status = with_status(own, self.new_keys_button)

        hub = Card(_("The municipality's hub"))
        self.hub = QLabel(objectName="hubName", wordWrap=True)
        hub.body.addWidget(self.hub)
        self.hub_fingerprint_caption = muted(_("Fingerprint of the hub:"))
        self.hub_fingerprint = fingerprint_label()
        hub.body.addWidget(self.hub_fingerprint_caption)
        hub.body.addWidget(self.hub_fingerprint)
        self.key_button = QPushButton(_("Import hub key…"), clicked=self.ask_key)
        self.key_status = with_status(hub, self.key_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(own)
        layout.addWidget(hub)
        self.show_identity()

    def _say(self, label: QLabel, text: str, fingerprint: str = "", error: bool = False) -> None:
        """A status line, red for an error; a fingerprint in it (``{fingerprint}``) is never broken over two lines."""
        label.setTextFormat(Qt.RichText if fingerprint else Qt.PlainText)
        if fingerprint:
            text = html.escape(text).replace(html.escape(fingerprint), f"<nobr>{fingerprint}</nobr>")
        show_status(label, text, error)
        label.setVisible(bool(text))

    def show_identity(self) -> None:
        self.fingerprint.setText(keys.own_fingerprint(self.kit))
        hub = keys.hub_of(self.kit)
        if hub is None:
            self.hub.setText(_("No hub yet: import the key file you received from the municipality."))
        else:
            self.hub.setText(hub_name(hub))
        self.hub_fingerprint.setText("" if hub is None else hub.fingerprint)
        self.hub_fingerprint.setVisible(hub is not None)
        self.hub_fingerprint_caption.setVisible(hub is not None)
        self.key_button.setText(_("Import hub key…") if hub is None else _("Import another hub key…"))
        self.new_keys_button.setEnabled(hub is not None)  # before joining a hub there is nothing to renew for

    # -- the hub's key ---------------------------------------------------------------------

    def ask_key(self) -> None:
        path, _filter = open_file_name(self, _("Hub key"), "",
                                                    _("Hub key ({patterns});;All files (*)").format(patterns=KEY_FILTER))  # fmt: skip
        if path:
            self.import_key(Path(path))

    def import_key(self, path: Path) -> bool:
        """Take the hub's key file; a key of another hub than the current one only after a question."""
        try:
            hub = keys.join(self.kit, path)
        except KitError as error:
            other = self._other_hub(path)
            if other is None:
                self._say(self.key_status, error.localized(), error=True)
                return False
            if not self._switch_hub(other):
                current = keys.hub_of(self.kit)
                self._say(self.key_status, _("Nothing changed: this laptop still sends to {name}.").format(
                    name=hub_name(current)))  # fmt: skip
                return False
            try:
                hub = keys.join(self.kit, path, replace=True)
            except KitError as again:
                self._say(self.key_status, again.localized(), error=True)
                return False
        self._say(self.key_status, _("This laptop now sends to {name}. The hub's fingerprint is {fingerprint}: "
                                     "compare it with the one the municipality gives you.").format(
            name=hub_name(hub), fingerprint=hub.fingerprint), hub.fingerprint)  # fmt: skip
        self.show_identity()
        self.hub_changed.emit()
        return True

    def offer_key(self, path: Path) -> bool:
        """A key file opened from outside Wijkkit (double-clicked): nobody chose it on this page, so the
        first hub is joined only after a question that shows its fingerprint (a stranger's key would
        send this laptop's results elsewhere); another hub than the current one is asked by import_key."""
        try:
            found = keys.read_hub_key(path)
        except KitError as error:
            self._say(self.key_status, error.localized(), error=True)
            return False
        current = keys.hub_of(self.kit)
        if current is not None and (current.replica, current.fingerprint) == (found.replica, found.fingerprint):
            self._say(self.key_status, _("This laptop already sends to {name}. The hub's fingerprint is "
                                         "{fingerprint}.").format(name=hub_name(current), fingerprint=current.fingerprint),
                      current.fingerprint)  # fmt: skip
            return True
        if current is None and not self._join_hub(found):
            self._say(self.key_status, _("Nothing changed: this laptop does not send to a hub yet."))
            return False
        return self.import_key(path)

    def _join_hub(self, hub: keys.HubKey) -> bool:
        """Asked before a double-clicked key is joined; No is the default, the fingerprint on one line."""
        text = _("Send this laptop's results to {name} from now on?\n\nThe hub's fingerprint is {fingerprint}. "
                 "Only answer Yes when it is the one the municipality gives you.").format(
            name=hub_name(hub), fingerprint=hub.fingerprint)  # fmt: skip
        shown = html.escape(text).replace(html.escape(hub.fingerprint), f"<nobr>{hub.fingerprint}</nobr>")
        box = QMessageBox(QMessageBox.Question, _("Hub key"), shown.replace("\n", "<br>"),
                          QMessageBox.Yes | QMessageBox.No, self)  # fmt: skip
        box.setTextFormat(Qt.RichText)
        box.setDefaultButton(QMessageBox.No)
        return box.exec() == QMessageBox.Yes

    def _other_hub(self, path: Path) -> keys.HubKey | None:
        """The hub of a valid key file that is not this laptop's current hub, else None."""
        current = keys.hub_of(self.kit)
        try:
            found = keys.read_hub_key(path)
        except KitError:
            return None
        if current is None or (current.replica, current.fingerprint) == (found.replica, found.fingerprint):
            return None
        return found

    def _switch_hub(self, other: keys.HubKey) -> bool:
        current = keys.hub_of(self.kit)
        text = _("This laptop sends to {current} (fingerprint {old}). The key file is of another hub: {name} "
                 "(fingerprint {new}). That hub then receives everything from this laptop again.\n\n"
                 "Would you like to send to this other hub from now on?").format(
            current=hub_name(current), old=current.fingerprint, name=hub_name(other), new=other.fingerprint)  # fmt: skip
        answer = QMessageBox.question(self, _("Another hub"), text, QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        return answer == QMessageBox.Yes

    # -- new keys ----------------------------------------------------------------------------

    def ask_new_keys(self) -> None:
        answer = QMessageBox.question(self, _("Make new keys"), _(
            "Only do this when the municipality has revoked this laptop, for example after it was lost or its "
            "data was copied to another computer.\n\nWith new keys the hub refuses what this laptop sends until "
            "the coordinator approves it again. Your fingerprint changes: read the new one aloud to the "
            "coordinator.\n\nMake new keys now?"), QMessageBox.Yes | QMessageBox.No, QMessageBox.No)  # fmt: skip
        if answer == QMessageBox.Yes:
            self.make_new_keys()

    def make_new_keys(self) -> bool:
        try:
            new = keys.new_keys(self.kit)
        except KitError as error:
            self._say(self.keys_status, error.localized(), error=True)
            return False
        self.show_identity()
        self._say(self.keys_status, _("New keys made. Your new fingerprint is {fingerprint}: read it aloud to the "
                                      "coordinator, who approves this laptop again.").format(fingerprint=new), new)  # fmt: skip
        return True
