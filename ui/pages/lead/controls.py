"""The widgets of Leiden's centre column that must keep still while the evening runs.

A facilitator aims at the buttons without looking twice, so nothing here moves when a text
changes: the countdown paints its text as large as fits (120 px at most, from the style
sheet) instead of asking for more room, so "Afgelopen" does not widen the window; the step's
title, purpose and questions scroll inside an area that asks for their height but can give
way; the six clock buttons keep their columns whatever the Start/Pause button says; and the
notices, the projected end and the re-plan proposal share a zone of fixed height below them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .keys import describe

SMALLEST_COUNTDOWN_PX = 56  # the countdown stays readable from a few metres


class CountdownLabel(QLabel):
    """The big countdown: its style sheet's font, scaled down to fit the room it is given."""

    def __init__(self, text: str = "", **kwargs) -> None:
        super().__init__(text, **kwargs)
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Expanding)

    def _font(self, pixels: int | None = None) -> QFont:
        font = QFont(self.font())
        if pixels is not None:
            font.setPixelSize(pixels)
        return font

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        metrics = QFontMetrics(self._font(SMALLEST_COUNTDOWN_PX))
        return QSize(metrics.horizontalAdvance("+00:00"), metrics.height())

    def sizeHint(self) -> QSize:  # noqa: N802
        """No more than the minimum: the step's questions get the room they need first, the
        countdown (expanding) all that is left."""
        return self.minimumSizeHint()

    def fitted_pixels(self) -> int:
        """The font size the text is painted at: the full size, or less where it would not fit."""
        font = self._font()
        full = font.pixelSize() if font.pixelSize() > 0 else round(font.pointSizeF() * 96 / 72)
        metrics = QFontMetrics(font)
        wide, high = max(1, metrics.horizontalAdvance(self.text())), max(1, metrics.height())
        scale = min(1.0, self.width() / wide, self.height() / high)
        return max(8, int(full * scale))

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setFont(self._font(self.fitted_pixels()))
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.rect(), Qt.AlignCenter, self.text())


class StepText(QScrollArea):
    """The step's title, purpose and questions: as tall as they need, scrolling when the room is short."""

    def __init__(self, labels: Iterable[QLabel]) -> None:
        super().__init__(objectName="leadStepText", frameShape=QFrame.NoFrame, widgetResizable=True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.NoFocus)
        inner = QWidget(objectName="leadStepTextInner")
        inner.setMinimumSize(1, 1)  # its height follows from its width (heightForWidth), not the labels' guesses
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for label in labels:
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignLeft | Qt.AlignTop)
            label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Minimum)
            layout.addWidget(label)
        layout.addStretch(1)
        self.setWidget(inner)
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(100, 2 * self.fontMetrics().lineSpacing())

    def sizeHint(self) -> QSize:  # noqa: N802
        inner = self.widget()
        width = max(100, self.viewport().width())
        return QSize(width, inner.layout().totalHeightForWidth(width) + 2)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()  # the wanted height follows the width

    def changed(self) -> None:
        """Call after the texts changed: asks the layout again for the room they need."""
        self.widget().adjustSize()
        self.updateGeometry()


def steady_buttons(buttons: list[tuple[QPushButton, Iterable[str]]], columns: int = 3) -> QGridLayout:
    """A grid of buttons whose places do not depend on their current texts: each is as wide as its
    longest possible text, the columns share what is left evenly."""
    grid = QGridLayout()
    grid.setHorizontalSpacing(8)
    for index, (button, texts) in enumerate(buttons):
        shown = button.text()
        widest = 0
        for text in [shown, *texts]:
            button.setText(text)
            widest = max(widest, button.sizeHint().width())
        button.setText(shown)
        button.setMinimumWidth(widest)
        button.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)
        grid.addWidget(button, index // columns, index % columns)
    for column in range(columns):
        grid.setColumnStretch(column, 1)
    return grid


def line_height(widget: QWidget, lines: int) -> int:
    return lines * widget.fontMetrics().lineSpacing() + 4


class NoticeZone(QWidget):
    """Below the clock buttons, in a fixed height: one notice (an error or what was resumed), then
    either the projected end with the re-plan button, or the proposal with Accept and Ignore."""

    def __init__(self, message: QLabel, info: QLabel, projection: QLabel, replan: QPushButton,
                 proposal: QLabel, accept: QPushButton, ignore: QPushButton) -> None:  # fmt: skip
        super().__init__(objectName="leadNotices")
        for label in (message, info, projection, proposal):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignLeft | Qt.AlignTop)
            label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Ignored)
        notices = QWidget()
        notices.setFixedHeight(line_height(message, 2))
        stacked = QVBoxLayout(notices)
        stacked.setContentsMargins(0, 0, 0, 0)
        stacked.setSpacing(0)
        stacked.addWidget(message)
        stacked.addWidget(info)
        self.pages = QStackedWidget()
        late = QWidget()
        late_layout = QHBoxLayout(late)
        late_layout.setContentsMargins(0, 0, 0, 0)
        late_layout.addWidget(projection, 1)
        late_layout.addWidget(replan, 0, Qt.AlignTop)
        offer = QWidget()
        offer_layout = QHBoxLayout(offer)
        offer_layout.setContentsMargins(0, 0, 0, 0)
        offer_layout.addWidget(proposal, 1)
        answers = QVBoxLayout()
        answers.addWidget(accept)
        answers.addWidget(ignore)
        answers.addStretch(1)
        offer_layout.addLayout(answers)
        self.pages.addWidget(late)
        self.pages.addWidget(offer)
        self.pages.setFixedHeight(max(line_height(projection, 3), line_height(proposal, 3),
                                      2 * accept.sizeHint().height() + 6))  # fmt: skip
        replan.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(notices)
        layout.addWidget(self.pages)
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)
        self.message, self.info = message, info

    def show_proposal(self, shown: bool) -> None:
        self.pages.setCurrentIndex(1 if shown else 0)


def button(text: str, slot: Callable, name: str = "", *, spoken: str = "", key: str = "") -> QPushButton:
    """A console button: Tab reaches it, but a click does not take the keyboard away from the clock.

    ``text`` may carry a key hint for the eye; ``spoken`` is its accessible name without it, ``key``
    the console's key for the same action, said in its description (keys.describe)."""
    made = QPushButton(text, objectName=name, focusPolicy=Qt.TabFocus)
    made.clicked.connect(slot)
    describe(made, spoken or text, key)
    return made
