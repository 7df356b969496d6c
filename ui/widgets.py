"""Small building blocks shared by the pages: headings, cards, rows of buttons, a dialog's OK and
Cancel, the page frame, and lines of text that end in "…" instead of widening the window."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from wijkkit.i18n import _


def heading(text: str, level: int = 1) -> QLabel:
    label = QLabel(text)
    label.setObjectName("h1" if level == 1 else "h2")
    label.setWordWrap(True)
    return label


def muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


def button_row(*widgets: QWidget) -> QHBoxLayout:
    """``widgets`` side by side at the left of a row (the rest of the row stays empty)."""
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


def dialog_buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    """OK (named ``ok_text``) and Cancel for ``dialog``: they accept and reject it."""
    box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    box.button(QDialogButtonBox.Ok).setText(ok_text)
    box.button(QDialogButtonBox.Cancel).setText(_("Cancel"))
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class ElidedLines(QLabel):
    """At most ``lines`` lines, the last ending in "…" when the text needs more, the whole text
    as tooltip: a long place or title neither widens the page nor takes more room than reserved.
    With ``wrap`` a line breaks between words; without, each line of the text is one line."""

    def __init__(self, lines: int, object_name: str = "muted", wrap: bool = False) -> None:
        super().__init__(objectName=object_name)
        self._full, self._lines, self._wrap = "", lines, wrap
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self._full = text
        self._elide()

    def text(self) -> str:
        """The whole text, also when the label shows it shortened."""
        return self._full

    def shown_text(self) -> str:
        return super().text()

    def sizeHint(self) -> QSize:  # noqa: N802
        self.ensurePolished()  # the style sheet's font size
        return QSize(200, self.fontMetrics().lineSpacing() * self._lines + 2)

    minimumSizeHint = sizeHint

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics, width = self.fontMetrics(), max(self.width(), 1)
        lines = [part for line in self._full.split("\n") for part in (self._wrapped(line, width) if self._wrap else [line])]
        shown = lines[: self._lines]
        if len(lines) > self._lines:
            shown[-1] = " ".join(lines[self._lines - 1:])
        shown = [metrics.elidedText(line, Qt.ElideRight, width) for line in shown]
        super().setText("\n".join(shown))
        self.setToolTip(self._full if shown != lines else "")

    def _wrapped(self, line: str, width: int) -> list[str]:
        out, current = [], ""
        for word in line.split(" "):
            trial = f"{current} {word}" if current else word
            if current and self.fontMetrics().horizontalAdvance(trial) > width:
                out.append(current)
                current = word
            else:
                current = trial
        return [*out, current]


class Card(QFrame):
    """A white panel with a title; pages put their content in ``card.body``."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 16)
        layout.setSpacing(8)
        self.heading = heading(title, level=2)  # also the label of a card's one field (ui/a11y.py)
        layout.addWidget(self.heading)
        self.body = QVBoxLayout()
        self.body.setSpacing(6)
        layout.addLayout(self.body)


class Page(QWidget):
    """A page of the main window: a title, an introduction and a content area."""

    title: str = ""

    def __init__(self, title: str, intro: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(24, 16, 24, 16)
        self.layout_.setSpacing(12)
        self.layout_.addWidget(heading(title))
        if intro:
            self.layout_.addWidget(muted(intro))
