"""Which screen the projector view opens on, and the setting that chooses it.

"The second screen" is not a place: Qt lists the primary screen first, and with a beamer set up
as the primary display (Windows does that when it is connected first) the second screen is the
laptop, under the console. So the projector goes to a screen the main window is not on: the one
chosen in Instellingen when it is connected (remembered by its name, as the system names its
connector or model), otherwise the largest other one. With a single screen (Windows' Duplicate
mode, a beamer that mirrors the laptop, or no beamer yet) it opens full screen on that one: the
wall then shows the public view and not the console with residents' names; the projector passes
the console's keys on, and P or Escape brings the console back (ui/projector.py).

``choose_screen`` is the rule, on plain descriptions of the screens, so it is tested without them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QComboBox, QWidget

from wijkkit.i18n import _

SETTING = "projector/screen"  # the chosen screen's name; empty for automatic


@dataclass(frozen=True)
class ScreenInfo:
    name: str
    width: int
    height: int
    primary: bool = False


def choose_screen(screens: Sequence[ScreenInfo], console: int | None, wanted: str = "") -> int:
    """The index in ``screens`` for the projector. ``console`` is the index of the screen the main
    window is on (None when unknown: the primary one), ``wanted`` the name chosen in the settings.

    The wanted screen when it is connected and is not the console's; else the largest other screen
    (the first of equals); else, with one screen, the console's own."""
    if not screens:
        raise ValueError("no screens")
    if console is None or not 0 <= console < len(screens):
        console = next((index for index, screen in enumerate(screens) if screen.primary), 0)
    others = [index for index in range(len(screens)) if index != console]
    for index in others:
        if wanted and screens[index].name == wanted:
            return index
    if not others:
        return console
    return max(others, key=lambda index: (screens[index].width * screens[index].height, -index))


def wanted_screen() -> str:
    return str(QSettings().value(SETTING, "") or "")


def projector_screen(console: QWidget | None) -> QScreen:
    """The screen for the projector, with ``console`` the main window (or None)."""
    screens = QGuiApplication.screens()
    primary = QGuiApplication.primaryScreen()
    described = [ScreenInfo(screen.name(), screen.size().width(), screen.size().height(), screen is primary)
                 for screen in screens]  # fmt: skip
    on = console.screen() if console is not None else None
    console_index = next((index for index, screen in enumerate(screens) if screen is on), None)
    return screens[choose_screen(described, console_index, wanted_screen())]


def screen_label(screen: QScreen, number: int) -> str:
    """How the settings show a screen: its model and connector, or its number when the system names neither."""
    model, name = screen.model().strip(), screen.name().strip()
    shown = f"{model} – {name}" if model and name and model not in name else name or model
    return f"{shown or _('Screen {number}').format(number=number)} ({screen.size().width()}×{screen.size().height()})"


class ScreenChoice(QComboBox):
    """Instellingen: the projector's screen, or automatic. The list follows screens coming and
    going; a chosen screen that is not connected now stays in the list, marked so."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="projectorScreen")
        self.refresh()
        QGuiApplication.instance().screenAdded.connect(self.refresh)
        QGuiApplication.instance().screenRemoved.connect(self.refresh)
        self.activated.connect(self._save)  # a choice by the user, not a refresh

    def refresh(self, *_changed) -> None:
        wanted = wanted_screen()
        self.blockSignals(True)
        self.clear()
        self.addItem(_("Automatic: a screen without the Wijkkit window"), "")
        for number, screen in enumerate(QGuiApplication.screens(), 1):
            self.addItem(screen_label(screen, number), screen.name())
        if wanted and self.findData(wanted) < 0:
            self.addItem(_("{name} (not connected)").format(name=wanted), wanted)
        self.setCurrentIndex(max(0, self.findData(wanted)))
        self.blockSignals(False)

    def _save(self, index: int) -> None:
        QSettings().setValue(SETTING, self.itemData(index) or "")
