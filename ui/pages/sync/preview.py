"""'Wat de gemeente ziet': the next bundle shown before it is sent (wijkkit.sync.preview).

The facilitator sees how many rows of each kind go to the municipality and every field with
the value as it will arrive: where a name of a person without "Delen" was replaced, the text
stored on this laptop stands beside it; fields held back for want of consent are listed as
held back. The dialog is a tree (kind, row, field) that the arrow keys walk; Escape closes it,
'Send now' sends. The preview itself is computed in a worker (sync_page.py): on a laptop with
a year of meetings it reads every unsent field.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wijkkit.i18n import N_, _, gettext, ngettext
from wijkkit.models import TABLE_LABELS, shown_name
from wijkkit.sync import preview as outgoing_preview
from wijkkit.sync.preview import DELETED, ERASED, REDACTED, WITHHELD, Line, Preview

from .hub_tables import FIELD_LABELS

NOTES = {REDACTED: N_("names replaced"), WITHHELD: N_("held back: no consent to share"),
         DELETED: N_("deleted"), ERASED: N_("erased (AVG)")}  # fmt: skip
MAX_SHOWN = 120


def shown(value: object) -> str:
    text = "" if value is None else str(value).replace("\n", " ")
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def kind_label(table: str) -> str:
    return gettext(TABLE_LABELS.get(table, table))


def summary_text(found: Preview) -> str:
    counts = found.counts()
    if not counts:
        return _("The next send carries nothing new: the municipality has everything.")
    kinds = ", ".join(
        f"{kind_label(t)} {n}"
        for t, n in sorted(counts.items(), key=lambda item: kind_label(item[0]))
    )
    text = _("The next send carries (rows per kind): {kinds}.").format(kinds=kinds)
    replaced, held = found.count(REDACTED), found.count(WITHHELD)
    if replaced:
        text += " " + ngettext(
            "In {n} text a name is replaced by “(naam niet gedeeld)”.",
            "In {n} texts a name is replaced by “(naam niet gedeeld)”.",
            replaced,
        ).format(n=replaced)
    if held:
        text += " " + ngettext("{n} field stays on this laptop: the person did not agree to share it.",
                               "{n} fields stay on this laptop: the people did not agree to share them.",
                               held).format(n=held)  # fmt: skip
    return text


class PreviewDialog(QDialog):
    """The next bundle as a tree: kind (with its count), row, field with sent value and stored value."""

    def __init__(
        self, found: Preview, send: Callable[[], None] | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("previewDialog")
        self.setWindowTitle(_("What the municipality sees"))
        self.resize(900, 560)
        self.summary = QLabel(summary_text(found), objectName="previewSummary", wordWrap=True)
        self.tree = QTreeWidget(objectName="previewTree")
        self.tree.setAccessibleName(_("What the municipality sees"))
        self.tree.setHeaderLabels(
            [_("What"), _("Sent to the municipality"), _("On this laptop"), _("Note")]
        )
        self.tree.setColumnWidth(0, 220)
        self.tree.setColumnWidth(1, 300)
        self.tree.setColumnWidth(2, 220)
        self.fill(found)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        self.send_button = buttons.addButton(_("Send now"), QDialogButtonBox.AcceptRole)
        self.send_button.setObjectName("previewSend")
        self.send_button.setEnabled(send is not None and bool(found.lines))
        self.send_button.setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        if send is not None:
            self.accepted.connect(send)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.tree.setFocus()

    def fill(self, found: Preview) -> None:
        kinds: dict[str, QTreeWidgetItem] = {}
        rows: dict[tuple[str, str], QTreeWidgetItem] = {}
        counts = found.counts()
        for line in found.lines:
            if line.table not in kinds:
                kinds[line.table] = QTreeWidgetItem(
                    self.tree, [f"{kind_label(line.table)} ({counts[line.table]})"]
                )
                kinds[line.table].setExpanded(True)
            key = (line.table, line.row_id)
            if key not in rows:
                label = found.labels.get(key) or (
                    shown_name(None) if line.table == "person" else line.row_id[:8]
                )
                rows[key] = QTreeWidgetItem(kinds[line.table], [shown(label)])
                rows[key].setToolTip(0, line.row_id)
            if line.field:
                self._field(rows[key], line)
            else:
                rows[key].setText(3, gettext(NOTES[line.status]))
        if self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))

    def _field(self, parent: QTreeWidgetItem, line: Line) -> QTreeWidgetItem:
        name = gettext(FIELD_LABELS.get(line.field, line.field))
        sent = (
            ""
            if line.status == WITHHELD
            else shown(outgoing_preview.marked(line) if line.marks else line.sent)
        )
        item = QTreeWidgetItem(parent, [name, sent, shown(line.stored) if line.status == REDACTED else "",
                                        gettext(NOTES.get(line.status, ""))])  # fmt: skip
        item.setToolTip(1, "" if line.sent is None else str(line.sent))
        if line.status == REDACTED:
            item.setToolTip(2, str(line.stored))
        return item
