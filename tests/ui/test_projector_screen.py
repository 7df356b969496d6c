"""The projector opens on a screen the console is not on, or full screen on the only one.

It used to take ``screens()[1]``: the laptop itself when the beamer is the primary screen, and a
plain window over the console with one screen (Windows' Duplicate mode). The rule is tested on
described screens; the real window on Qt's one offscreen screen, and in a second process on
offscreen screens made up by a configuration file (a beamer as primary screen, a laptop, a monitor).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from tests.ui.test_lead_page import _events, lead, steady  # noqa: F401 - the Leiden page's fixtures
from tests.ui.test_projector_dialogs import open_projector
from wijkkit.i18n import _

from ui.projector_screen import SETTING, ScreenInfo, choose_screen

LAPTOP = ScreenInfo("eDP-1", 1366, 768, primary=True)
BEAMER = ScreenInfo("HDMI-1", 1024, 768)
MONITOR = ScreenInfo("DP-2", 2560, 1440)


@pytest.mark.parametrize(("screens", "console", "wanted", "chosen"), [
    ([LAPTOP, BEAMER], 0, "", 1),                     # the usual evening
    ([ScreenInfo("HDMI-1", 1024, 768, True), ScreenInfo("eDP-1", 1366, 768)], 1, "", 0),  # beamer is primary
    ([LAPTOP], 0, "", 0),                             # duplicate mode: the one screen
    ([LAPTOP], None, "HDMI-1", 0),                    # wanted beamer not connected
    ([LAPTOP, BEAMER], None, "", 1),                  # window's screen unknown: the primary is the console's
    ([LAPTOP, MONITOR, BEAMER], 0, "", 1),            # three screens, automatic: the largest other one
    ([LAPTOP, MONITOR, BEAMER], 0, "HDMI-1", 2),      # ... or the one chosen in the settings
    ([LAPTOP, MONITOR, BEAMER], 2, "HDMI-1", 1),      # the chosen one holds the console: never over it
    ([LAPTOP, BEAMER, ScreenInfo("HDMI-2", 1024, 768)], 0, "", 1),  # equals: the first
])  # fmt: skip
def test_the_projector_screen_is_one_without_the_console(screens, console, wanted, chosen):
    assert choose_screen(screens, console, wanted) == chosen


def test_without_screens_there_is_no_choice():
    with pytest.raises(ValueError):
        choose_screen([], None)


def test_on_one_screen_it_covers_the_console_takes_its_keys_and_escape_brings_it_back(qtbot, lead):  # noqa: F811
    """Duplicate mode: the wall shows the projector, the facilitator still leads the evening."""
    console, projector = open_projector(qtbot, lead)
    assert projector.isFullScreen() and projector.screen() is console.screen()
    assert projector.geometry() == console.screen().geometry()
    qtbot.keyClick(QApplication.focusWidget() or projector, Qt.Key_Space)  # the clock starts from the projector
    assert _events(lead) == ["start"]
    qtbot.keyClick(projector, Qt.Key_Right)
    assert _events(lead) == ["start", "next"]
    qtbot.keyClick(projector, Qt.Key_Escape)
    assert not projector.isVisible()
    qtbot.waitUntil(console.isActiveWindow)
    qtbot.keyClick(lead, Qt.Key_P)  # and P brings it back, and takes it away again
    assert projector.isVisible()
    qtbot.keyClick(projector, Qt.Key_P)
    assert not projector.isVisible()


def test_the_settings_offer_the_screens_and_remember_the_choice_by_name(qtbot):
    from ui.projector_screen import ScreenChoice

    QSettings().setValue(SETTING, "HDMI-1")  # chosen at last month's venue
    try:
        choice = ScreenChoice()
        qtbot.addWidget(choice)
        names = [choice.itemData(index) for index in range(choice.count())]
        assert names == ["", QApplication.primaryScreen().name(), "HDMI-1"]
        assert choice.currentText() == _("{name} (not connected)").format(name="HDMI-1")
        choice.show()
        choice.setFocus()
        qtbot.keyClick(choice, Qt.Key_Home)  # back to automatic, by keyboard
        assert QSettings().value(SETTING) == ""
    finally:
        QSettings().remove(SETTING)


SCRIPT = """
import json, sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget
from ui.projector import ProjectorWindow
from ui.projector_screen import SETTING

app = QApplication([])
app.setOrganizationName("Wijkkit")
screens = {screen.name(): screen for screen in app.screens()}
console = QWidget()
console.setScreen(screens["Laptop"])
console.setGeometry(screens["Laptop"].availableGeometry().adjusted(20, 40, -20, -20))
console.show()
console.activateWindow()
app.processEvents()
found = {"order": [screen.name() for screen in app.screens()], "primary": app.primaryScreen().name()}
for wanted in ("", "Beamer", "Laptop"):
    QSettings().setValue(SETTING, wanted)
    projector = ProjectorWindow()
    projector.place(console)
    app.processEvents()
    found[wanted or "automatic"] = [projector.screen().name(), projector.isFullScreen(),
                                    projector.geometry().contains(projector.screen().geometry().center())]
    found["keys"] = "console" if console.isActiveWindow() else "projector"
    projector.close()
print(json.dumps(found))
"""


def test_with_a_beamer_as_primary_screen_the_projector_goes_there_not_on_the_laptop(tmp_path):
    screens = [{"name": name, "x": x, "y": 0, "width": width, "height": height, "logicalDpi": 96,
                "logicalBaseDpi": 96, "dpr": 1}
               for name, x, width, height in (("Laptop", 0, 1366, 768), ("Beamer", 1366, 1024, 768),
                                              ("Monitor", 2390, 2560, 1440))]  # fmt: skip
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": screens[:2]}), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", XDG_CONFIG_HOME=str(tmp_path))
    root = Path(__file__).resolve().parents[2]
    ran = subprocess.run([sys.executable, "-c", textwrap.dedent(SCRIPT)], cwd=root, env=env, capture_output=True,
                         text=True, encoding="utf-8", timeout=120)  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    found = json.loads(ran.stdout.splitlines()[-1])
    assert found["order"][1] == "Laptop"  # what screens()[1] used to give
    assert found["automatic"] == ["Beamer", True, True]
    assert found["Beamer"] == ["Beamer", True, True]
    assert found["Laptop"] == ["Beamer", True, True]  # a choice never puts it over the console
    assert found["keys"] == "console"  # the facilitator's keys stay on the laptop

    config.write_text(json.dumps({"screens": screens}), encoding="utf-8")
    ran = subprocess.run([sys.executable, "-c", textwrap.dedent(SCRIPT)], cwd=root, env=env, capture_output=True,
                         text=True, encoding="utf-8", timeout=120)  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    found = json.loads(ran.stdout.splitlines()[-1])
    assert found["automatic"][0] == "Monitor" and found["Beamer"][0] == "Beamer"
