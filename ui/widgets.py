"""Small building blocks shared by the pages: headings, cards, rows of buttons, a dialog's OK and
Cancel, the page frame."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
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


class Card(QFrame):
    """A white panel with a title; pages put their content in ``card.body``."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 16)
        layout.setSpacing(8)
        layout.addWidget(heading(title, level=2))
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
        self.layout_.setContentsMargins(28, 22, 28, 22)
        self.layout_.setSpacing(14)
        self.layout_.addWidget(heading(title))
        if intro:
            self.layout_.addWidget(muted(intro))
