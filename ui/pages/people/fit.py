"""Keeping the tabs of Mensen en afspraken within a 1024x768 window (issue 14, problem 3).

``scrolling(tab)`` puts a tab's content in a vertical scroll area: the tab asks for
little height, and on a low screen its content scrolls inside the tab instead of
pushing the window past the screen. Its width stays what the content needs, so
nothing is ever cut off at the side. ``one_place`` keeps messages that take turns
in one reserved spot, so the controls around them stay still. ``on_enter`` lets
the widgets of a form that do nothing with Enter (a spin box, a check box, the
button with the focus) answer it as the form's line edits do. ``one_line_wording``
shows a consent's wording on one line, cut with "…" and whole as tooltip, so the door
form fits a 1024x768 or 1280x720 screen without scrolling.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...widgets import ElidedLines

LOW = 160  # the height a scrolling tab asks for at least: a few rows of its content
PREFERRED = 320  # and the height it would like


class VerticalScroll(QScrollArea):
    """Scrolls its widget up and down only; as wide as the widget needs."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.NoFocus)  # no unnamed Tab stop: Tab goes to the controls inside
        self.viewport().setAutoFillBackground(False)
        content.setAutoFillBackground(False)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        inner = self.widget().minimumSizeHint()
        return QSize(inner.width() + self.verticalScrollBar().sizeHint().width(), min(inner.height(), LOW))

    def sizeHint(self) -> QSize:  # noqa: N802
        """Modest in height: the page around asks for its preferred height (headings wrap, so the
        main window's scroll area goes by it), and the content scrolls here rather than there."""
        inner = self.widget().sizeHint()
        return QSize(inner.width() + self.verticalScrollBar().sizeHint().width(), min(inner.height(), PREFERRED))


def scrolling(tab: QWidget) -> QWidget:
    """Give ``tab`` a vertical scroll area filling it; returns the widget to lay the content out in."""
    content = QWidget()
    outer = QVBoxLayout(tab)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(VerticalScroll(content))
    return content


def one_place(*labels: QWidget) -> QWidget:
    """Widgets shown one at a time in the same place, which keeps the room of the largest:
    what sits below does not move when another one shows."""
    holder = QWidget()
    grid = QGridLayout(holder)
    grid.setContentsMargins(0, 0, 0, 0)
    for label in labels:
        policy = label.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        label.setSizePolicy(policy)
        grid.addWidget(label, 0, 0, Qt.AlignTop)
    return holder


class _EnterFilter(QObject):
    def __init__(self, parent: QObject, action: Callable[[], object]) -> None:
        super().__init__(parent)
        self.action = action

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Return, Qt.Key_Enter):
            self.action()
            return True
        return False


def on_enter(widgets: Iterable[QWidget], action: Callable[[], object]) -> None:
    """Run ``action`` when Enter or Return is pressed on one of ``widgets``: a spin box, a check box,
    a combo box whose list is closed, a button with the focus (which Space clicks as well)."""
    for widget in widgets:
        widget.installEventFilter(_EnterFilter(widget, action))


class _SelectOnFocus(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.FocusIn:
            QTimer.singleShot(0, watched.selectAll)  # after the click has placed the cursor
        return False


def select_on_focus(spin: QAbstractSpinBox) -> None:
    """Typing in a spin box replaces what it shows, also after a click: a digit typed into
    "geen tafel" would otherwise be refused."""
    spin.installEventFilter(_SelectOnFocus(spin))


def one_line_wording(holder: QWidget, box: QCheckBox) -> ElidedLines:
    """Show the wrapped wording beside a consent's ``box`` (forms.consent_field) on one line instead,
    cut with "…" when it is longer; the whole wording is the tooltip of the box and of the line."""
    wrapped = holder.findChild(QLabel)
    line = ElidedLines(1, "muted")
    line.setText(wrapped.text())
    box.setToolTip(wrapped.text())
    layout = holder.layout()
    layout.replaceWidget(wrapped, line)
    layout.setStretchFactor(line, 1)
    wrapped.deleteLater()
    return line
