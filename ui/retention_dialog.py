"""At start: what is past the retention period, removed everywhere with one confirmation.

Retention only protects people when it acts, and a list on a tab nobody opens does not.
So a moment after the window has shown (ui/app.py), ``show_if_due`` looks once: at most once
a day, never while a meeting is running (the laptop may be on the projector), and only when there is
something to remove. It then opens a calm, non-modal dialog listing the people and the
offers, needs and notes past the period, with "Remove" and "Later" ("Later" is the
default: Enter or Escape closes it; Enter on "Remove" removes). The removal runs
through wijkkit/retention.py: erasures and deletions that sync carries to every replica.
It runs in a worker thread with a Kit of its own (an erasure scans every text and compacts
the file); the pages are told through the bridge once it is done.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wijkkit import dates, privacy, retention
from wijkkit.errors import KitError
from wijkkit.i18n import N_, _, gettext, ngettext
from wijkkit.models import shown_name

from . import background, errors

KINDS = {"offer": N_("Offer"), "need": N_("Need"), "capture": N_("Note")}
SHOWN_TEXT = 80  # characters of a text in the list
# what a removal may change: the pages showing these refresh once it is done
TOUCHED = ("person", "attendance", "consent_record", *retention.AGED_TABLES, *privacy.FREE_TEXT)


def show_if_due(window) -> RetentionDialog | None:
    kit, now = window.kit, window.clock()
    if not retention.should_ask(kit, now):
        return None
    items = retention.due(kit, now.date())
    if not items.count:
        return None
    retention.mark_asked(kit, now.date())
    dialog = RetentionDialog(kit, items, window, getattr(window, "bridge", None))
    window.retention_dialog = dialog  # one reference, for tests and so it is not collected
    dialog.show()
    return dialog


def lines(items: retention.Due) -> list[str]:
    """One readable line per person or row."""
    shown = [_("Person: {name}, last seen {day}").format(name=shown_name(name), day=dates.short_date(last) or "–")
             for _id, name, last in items.people]  # fmt: skip
    for table, rows in items.rows.items():
        for _id, text, day in rows:
            text = " ".join(text.split())
            text = text if len(text) <= SHOWN_TEXT else text[: SHOWN_TEXT - 1] + "…"
            shown.append(f"{gettext(KINDS[table])} ({dates.short_date(day)}): {text}")
    return shown


class RetentionDialog(QDialog):
    def __init__(
        self, kit, items: retention.Due, parent: QWidget | None = None, bridge=None
    ) -> None:
        super().__init__(parent)
        self.kit, self.items, self.bridge = kit, items, bridge
        self.setWindowTitle(_("Past the retention period"))
        self.setModal(False)
        self.setAttribute(Qt.WA_DeleteOnClose)
        intro = QLabel(ngettext(
            "The retention period is {months} month. Below are the people who have not come to a meeting for "
            "longer, and the offers, needs and notes that are older. Remove them? They are removed here and, after "
            "the next sync, everywhere else too. This cannot be undone.",
            "The retention period is {months} months. Below are the people who have not come to a meeting for "
            "longer, and the offers, needs and notes that are older. Remove them? They are removed here and, after "
            "the next sync, everywhere else too. This cannot be undone.", items.months).format(months=items.months),
            wordWrap=True)  # fmt: skip
        self.list = QListWidget(objectName="retentionList")
        self.list.addItems(lines(items))
        intro.setBuddy(self.list)
        self.status = QLabel(objectName="info", wordWrap=True)
        buttons = QDialogButtonBox()
        self.remove_button = QPushButton(_("Remove"), objectName="retentionRemove")
        self.later_button = QPushButton(_("Later"), objectName="retentionLater")
        buttons.addButton(self.remove_button, QDialogButtonBox.DestructiveRole)
        buttons.addButton(self.later_button, QDialogButtonBox.RejectRole)
        self.remove_button.clicked.connect(self.remove)
        self.later_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        QWidget.setTabOrder(self.list, self.remove_button)
        QWidget.setTabOrder(self.remove_button, self.later_button)
        self.later_button.setDefault(True)
        self.later_button.setFocus()
        self.resize(560, 380)

    def remove(self) -> None:
        """Remove in the background (erasures scan every text and compact the file), then close."""
        self.remove_button.setEnabled(False)
        self.later_button.setEnabled(False)
        path, items = self.kit.path, self.items
        if path is None:  # an in-memory database cannot be used from another thread
            try:
                self._done(retention.remove(self.kit, items))
            except KitError as error:
                self._failed(error)
            return
        background.run(
            self, lambda: remove_in_worker(path, items), self._done, self._failed, _("Removing…")
        )

    def _done(self, removed: int) -> None:
        self.removed = removed
        if (
            self.bridge is not None and self.kit.path is not None
        ):  # written by the worker's connection
            self.bridge.changed.emit({table: set() for table in TOUCHED})
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.remove_button.setEnabled(True)
        self.later_button.setEnabled(True)
        self.status.setText(
            error.localized() if isinstance(error, KitError) else _("The removal did not succeed.")
        )
        if not isinstance(error, KitError):
            errors.report(self, error)


def remove_in_worker(path, items: retention.Due) -> int:
    """Runs in a worker thread, with a Kit of its own on the same file."""
    from wijkkit.kit import Kit

    with Kit.open(path) as own:
        return retention.remove(own, items)


def screenshot(window, out) -> list:
    """For ui/screenshots.py: the start notice over the window, with a person and a need past the period."""
    from pathlib import Path

    kit = window.kit
    old = kit.sessions.add("Buurtavond 2023", "2023-05-09T19:30", "2023-05-09T22:00", status="held")
    kit.attendance.mark(old, kit.people.add("Gerrit Vos"))
    kit.insert(
        "need",
        {"session_id": old, "text": "Hulp bij de boodschappen", "created_at": "2023-05-09T20:10"},
    )
    dialog = show_if_due(window)
    if dialog is None:
        return []
    path = Path(out) / "04-mensen-bewaartermijn-melding.png"
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    dialog.grab().save(str(path))
    dialog.close()
    return [path]
