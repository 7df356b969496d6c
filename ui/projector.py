"""The projector view: what the room sees on the borrowed beamer.

Step n of 7, its title, its main question, a countdown of at least a quarter of
the screen's height, and what comes next, in large white-on-dark type that can be
read at the back of a village hall. B blanks the screen (as in presentation
programs), F toggles full screen, P closes it; Escape leaves full screen and then closes
it, or closes it at once when it covers the console. Other keys go to the console (the
clock's Space, arrows, + and -, E to end and N for new times, Enter to accept them), so the
evening can be led with the projector in front; the console takes them as its own because the
keyboard is in this window, not in one of the console's fields (ui/pages/lead/keys.py).
At the end it shows tonight's agreements so the room can confirm them. While it covers the
console, the console's questions are asked over it (LeadPage.dialog_parent), never by raising
the console with its names; its white type is for its own labels only, not for those questions.

It opens full screen on a screen the main window is not on, or on the only screen there is
(ui/projector_screen.py says which and why). It is a public screen: the texts arrive
here already redacted (LeadView.public, wijkkit.redact), without names of people who did
not agree to share.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from wijkkit.i18n import _

from .projector_screen import projector_screen

COLOURS = {"normal": "#ffffff", "soon": "#ffb300", "over": "#ff5a4f"}
COUNTDOWN_SHARE = 0.30  # font pixel size as a share of the window height


@dataclass(frozen=True)
class ProjectorView:
    step_line: str = ""
    title: str = ""
    question: str = ""
    countdown: str = ""
    level: str = "normal"
    next_line: str = ""
    agreements: tuple[str, ...] | None = None  # shown instead of the clock at the end


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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        for widget, stretch in ((self.step_line, 0), (self.title, 0), (self.question, 0), (self.countdown, 1),
                                (self.agreements, 1), (self.next_line, 0)):  # fmt: skip
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
        ending = view.agreements is not None
        self.countdown.setVisible(not ending)
        self.question.setVisible(not ending and bool(view.question))
        self.agreements.setVisible(ending)
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
        for label in (self.step_line, self.title, self.question, self.countdown, self.next_line, self.agreements):
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
