"""The projector view: what the room sees on the borrowed beamer.

Step n of 7, its title, its main question, a countdown of at least a quarter of
the screen's height, and what comes next, in large white-on-dark type that can be
read at the back of a village hall. B blanks the screen (as in presentation
programs), F toggles full screen, P closes it; Escape leaves full screen and then closes
it, or closes it at once when it covers the console. Other keys go to the console (the
clock's Space, arrows, + and -, E to end and N for new times, Enter to accept them), so the
evening can be led with the projector in front; the console takes them as its own because the
keyboard is in this window, not in one of the console's fields (ui/pages/lead/keys.py).
At the end it shows tonight's agreements so the room can confirm them; while the room chooses with
dots it shows the ranking instead of the clock (RankingBoard: one line per dream or idea, top first,
its type as large as lets ten of them fit, at 1024x768 too). While it covers the
console, the console's questions are asked over it (LeadPage.dialog_parent), never by raising
the console with its names; its white type is for its own labels only, not for those questions.

It opens full screen on a screen the main window is not on, or on the only screen there is
(ui/projector_screen.py says which and why). It is a public screen: the texts arrive
here already redacted (LeadView.public, wijkkit.redact), without names of people who did
not agree to share.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from wijkkit.i18n import _

from .projector_screen import projector_screen

COLOURS = {"normal": "#ffffff", "soon": "#ffb300", "over": "#ff5a4f"}
COUNTDOWN_SHARE = 0.30  # font pixel size as a share of the window height


@dataclass(frozen=True)
class Ranked:
    """One line of the dots ranking as the room sees it (texts already redacted)."""

    place: str
    text: str
    dots: str
    chosen: bool = False


@dataclass(frozen=True)
class ProjectorView:
    step_line: str = ""
    title: str = ""
    question: str = ""
    countdown: str = ""
    level: str = "normal"
    next_line: str = ""
    agreements: tuple[str, ...] | None = None  # shown instead of the clock at the end
    ranking: tuple[Ranked, ...] | None = None  # the dots ranking, shown instead of the clock while chosen


CHOSEN_COLOUR = "#8fe0b0"
RANKING_SHARES = (0.06, 0.025)  # the ranking's type, as a share of the window height: at most, and at least
RANKING_LINES = 2  # lines of text per dream or idea; what does not fit ends in …


def wrapped(text: str, metrics: QFontMetrics, width: int, lines: int = RANKING_LINES) -> list[str]:
    """``text`` broken at spaces into at most ``lines`` lines of ``width`` pixels; the last cut with … ."""
    result, words = [], text.split()
    while words and len(result) < lines:
        line = words.pop(0)
        while words and metrics.horizontalAdvance(f"{line} {words[0]}") <= width:
            line += " " + words.pop(0)
        result.append(line)
    if words and result:
        result[-1] = metrics.elidedText(result[-1] + " " + " ".join(words), Qt.ElideRight, width)
    return [metrics.elidedText(line, Qt.ElideRight, width) for line in result]


class RankingBoard(QWidget):
    """The dots ranking, top first: per dream or idea its place, its text (two lines at most), its dots.

    The type is as large as lets every line fit the board, between 6 and 2.5 % of the window's height
    (46 to 19 pixels on a 1024x768 beamer); a chosen one is marked with a check and in green."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projectorRanking")
        self.rows: tuple[Ranked, ...] = ()

    def set_rows(self, rows: tuple[Ranked, ...]) -> None:
        self.rows = rows
        self.setAccessibleName(_("Ranking"))
        self.setAccessibleDescription("; ".join(f"{r.place} {r.text}, {r.dots}" for r in rows))
        self.update()

    def layout_rows(self) -> tuple[QFont, list[list[str]], int, int]:
        """The font, each row's lines, the width of the places and of the dots: the largest type that fits."""
        window = self.window().height()
        font = QFont(self.font())
        size = int(window * RANKING_SHARES[0])
        while True:
            font.setPixelSize(max(10, size))
            metrics = QFontMetrics(font)
            gap = metrics.horizontalAdvance("  ")
            places = max(metrics.horizontalAdvance(r.place) for r in self.rows)
            dots = max(metrics.horizontalAdvance(r.dots) for r in self.rows)
            width = max(0, self.width() - places - dots - 2 * gap)
            lines = [wrapped(("✓ " if r.chosen else "") + r.text, metrics, width) for r in self.rows]
            needed = metrics.lineSpacing() * (sum(map(len, lines)) + 0.4 * len(lines))
            if needed <= self.height() or size <= window * RANKING_SHARES[1]:
                return font, lines, places, dots
            size -= 1

    def paintEvent(self, event) -> None:  # noqa: N802
        if not self.rows:
            return
        font, lines, places, dots = self.layout_rows()
        painter = QPainter(self)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        step, gap = metrics.lineSpacing(), metrics.horizontalAdvance("  ")
        top = 0
        for row, texts in zip(self.rows, lines, strict=True):
            painter.setPen(QColor(CHOSEN_COLOUR if row.chosen else "#ffffff"))
            first = QRect(0, top, places, step)
            painter.drawText(first, Qt.AlignRight | Qt.AlignVCenter, row.place)
            painter.drawText(QRect(self.width() - dots, top, dots, step), Qt.AlignRight | Qt.AlignVCenter, row.dots)
            for n, line in enumerate(texts):
                painter.drawText(QRect(places + gap, top + n * step, self.width() - places - dots - 2 * gap, step),
                                 Qt.AlignLeft | Qt.AlignVCenter, line)  # fmt: skip
            top += int(step * (len(texts) + 0.4))
        painter.end()


class ProjectorWindow(QWidget):
    def __init__(self, parent: QWidget | None = None, keys_to: QWidget | None = None) -> None:
        super().__init__(parent, Qt.Window)
        self.keys_to = keys_to  # the console: it gets the keys the projector has no use for
        self.console: QWidget | None = None
        self.setObjectName("projector")
        self.setWindowTitle(_("Wijkkit – projector"))
        # only its own labels: a question from the console is shown over it, as its child
        self.setStyleSheet("QWidget#projector { background: #111814; } QWidget#projector > QLabel { color: #ffffff; }")
        self.blanked = False
        self.view = ProjectorView()
        self.step_line = QLabel(objectName="projectorStep")
        self.title = QLabel(objectName="projectorTitle", wordWrap=True)
        self.question = QLabel(objectName="projectorQuestion", wordWrap=True)
        self.countdown = QLabel(objectName="projectorCountdown", alignment=Qt.AlignCenter)
        self.next_line = QLabel(objectName="projectorNext", wordWrap=True)
        self.agreements = QLabel(objectName="projectorAgreements", wordWrap=True)
        self.ranking = RankingBoard()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        for widget, stretch in ((self.step_line, 0), (self.title, 0), (self.question, 0), (self.countdown, 1),
                                (self.agreements, 1), (self.ranking, 1), (self.next_line, 0)):  # fmt: skip
            layout.addWidget(widget, stretch)
        self.resize(1024, 768)
        self._scale()

    def place(self, console: QWidget | None = None) -> None:
        """Full screen on the projector's screen; ``console`` is the main window."""
        self.console = console
        screen = projector_screen(console)
        self.setWindowState(self.windowState() & ~Qt.WindowFullScreen)  # moved as a normal window, then filled
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.raise_()
        if console is not None and not self.covers_console():
            console.activateWindow()  # the keyboard stays with the console, on the laptop
        else:
            self.activateWindow()  # in front of the console: its keys are passed on

    def to_front(self) -> None:
        """In front of the console again, with the keyboard (after a question asked over it)."""
        self.raise_()
        self.activateWindow()

    def covers_console(self) -> bool:
        """Whether the projector is on the console's screen (one screen, or a beamer unplugged)."""
        return self.console is not None and self.screen() is self.console.screen()

    def show_view(self, view: ProjectorView) -> None:
        self.view = view
        if self.blanked:
            return
        self.step_line.setText(view.step_line)
        self.title.setText(view.title)
        self.question.setText(view.question)
        self.next_line.setText(view.next_line)
        ranking = view.ranking is not None
        ending = view.agreements is not None and not ranking
        self.countdown.setVisible(not ending and not ranking)
        self.question.setVisible(not ending and not ranking and bool(view.question))
        self.agreements.setVisible(ending)
        self.ranking.setVisible(ranking)
        if ranking:
            self.ranking.set_rows(view.ranking)
        if ending:
            lines = [f"• {text}" for text in view.agreements] or [_("No agreements were made tonight.")]
            self.agreements.setText("\n".join(lines))
        if self.countdown.text() != view.countdown:
            self.countdown.setText(view.countdown)
        colour = f"color: {COLOURS.get(view.level, COLOURS['normal'])};"
        if self.countdown.styleSheet() != colour:  # restyling redraws: only when the level changes
            self.countdown.setStyleSheet(colour)

    def set_blank(self, blank: bool) -> None:
        self.blanked = blank
        for label in (self.step_line, self.title, self.question, self.countdown, self.next_line, self.agreements,
                      self.ranking):  # fmt: skip
            label.setVisible(not blank)
        if not blank:
            self.show_view(self.view)

    def _scale(self) -> None:
        height = max(self.height(), 200)
        for label, share, bold in ((self.step_line, 0.045, False), (self.title, 0.075, True),
                                   (self.question, 0.05, False), (self.countdown, COUNTDOWN_SHARE, True),
                                   (self.next_line, 0.04, False), (self.agreements, 0.045, False)):  # fmt: skip
            font = QFont(label.font())
            font.setPixelSize(max(10, int(height * share)))
            font.setBold(bold)
            label.setFont(font)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._scale()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key_B:
            self.set_blank(not self.blanked)
        elif key == Qt.Key_F:
            self.showNormal() if self.isFullScreen() else self.showFullScreen()
        elif key == Qt.Key_Escape and self.isFullScreen() and not self.covers_console():
            self.showNormal()
        elif key in (Qt.Key_Escape, Qt.Key_P):  # P opened it on the console: P or Escape closes it from here
            self.close()
        elif self.keys_to is not None:
            QApplication.sendEvent(self.keys_to, event)
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802
        super().closeEvent(event)
        if self.console is not None and self.console.isVisible():
            self.console.activateWindow()  # the keys go back to the console
