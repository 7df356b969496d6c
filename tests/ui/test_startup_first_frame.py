"""What the app's first frame waits for (issue 19; decision 0006): the whole window, and nothing else.

A child process starts the app the way the ``wijkkit`` command does (``wijkkit_launcher.main``) on
a copy of the demo village and, at the moment Qt flushes the first frame to the screen (the same
log line bench/startup.py watches), reports what the window shows and what Python has loaded by
then. The frame must be the app's window as a person knows it (title, menus, the sidebar with every
page, the status line), and modules, PySide types and work that the frame does not need must not
have crept back in front of it: each of them cost the start milliseconds, which is how it came to
take 2.5x a bare window. When this test fails because something new is loaded before the first
frame, move it after the frame (``MainWindow.after_first_frame``, a lazy import) rather than
adding it here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wijkkit import paths

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, os, sys
os.environ["QT_LOGGING_RULES"] = "qt.widgets.painting.debug=true"
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import qInstallMessageHandler

def report():
    from PySide6.QtWidgets import QApplication
    [window] = [w for w in QApplication.topLevelWidgets() if type(w).__name__ == "MainWindow"]
    print(json.dumps({
        "modules": sorted(sys.modules),
        "qt_types": sorted(name for name in ("Qt",) if name in vars(QtCore))
                    + sorted(name for name in ("QStyle", "QProxyStyle", "QStyleOption", "QMessageBox", "QInputDialog")
                                   if name in vars(QtWidgets)),
        "visible": window.isVisible(),
        "title": window.windowTitle(),
        "menus": [action.text() for action in window.menuBar().actions()],
        "pages": [window.nav.item(row).text() for row in range(window.nav.count())],
        "selected": [item.text() for item in window.nav.selectedItems()],
        "status": window.statusBar().currentMessage(),
        "built": sorted(window._built),
    }), flush=True)

def handler(mode, context, message):
    if message.startswith("Flushing"):
        report()
        os._exit(0)

qInstallMessageHandler(handler)
import wijkkit_launcher
wijkkit_launcher.main(["--data-dir", sys.argv[1]])
"""

# Not needed for the first frame, and each a cost before it when imported there.
LATER_MODULES = {
    "ui.first_run", "ui.field_borders", "ui.focus_ring", "ui.page_frame", "ui.forms", "ui.widgets",
    "ui.retention_dialog", "ui.open_file", "ui.pages.overview",
    "wijkkit.handouts", "wijkkit.cli_sync", "wijkkit.cli_key", "wijkkit.cli_person", "wijkkit.cli_outreach",
    "wijkkit.models", "wijkkit.branding", "wijkkit.sync.hub", "wijkkit.sync.merge",
    "wijkkit.sync", "reportlab", "sqlite_utils", "keyring", "logging.handlers",
    "sqlite3", "uuid",  # the plain sqlite3 (connections are sqlcipher3's); uuid brings platform
    "dataclasses",  # about 3 ms to import: the clock and the database key are plain classes
}


# The window as the app's start shows it (``first_frame``: the proxy style and the focus ring come
# after the first frame) or as everywhere else (all at once): the first frame, then a page with
# fields, saved as images. The start's order must change no pixel of either.
GRAB = r"""
import sys
from ui.app import finish_application, make_application
from ui.main_window import MainWindow
from wijkkit.kit import Kit
first_frame, out = sys.argv[1] == "first_frame", sys.argv[2]
app = make_application("nl", first_frame=first_frame)
window = MainWindow(Kit.open(sys.argv[3]))
window._open_first_page = lambda: None  # hold the frame as it is before the first page
window.resize(1366, 768)
window.show()
for _ in range(30):
    app.processEvents()
window.grab().save(out + "-frame.png")
if first_frame:
    finish_application(app)
window.show_page(6)  # Instellingen: line edits, a combo box, check boxes
for _ in range(30):
    app.processEvents()
window.grab().save(out + "-page.png")
"""


def _data(tmp_path: Path, demo_file: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    if not (data / paths.DATABASE_NAME).exists():
        shutil.copy(demo_file, data / paths.DATABASE_NAME)
    return data


def _child(script: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WIJKKIT_LANG": "nl"}
    return subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)  # fmt: skip


def first_frame(tmp_path: Path, demo_file: Path) -> dict:
    done = _child(CHILD, str(_data(tmp_path, demo_file)))
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no first frame ({done.returncode}):\n{done.stderr[-2000:]}"
    return json.loads(lines[-1])


def test_the_first_frame_is_the_whole_window_and_waits_for_nothing_else(tmp_path, demo_file):
    frame = first_frame(tmp_path, demo_file)
    assert frame["visible"]
    assert frame["title"] == f"Wijkkit — {paths.DATABASE_NAME}"
    assert frame["menus"] == ["&Bestand", "&Help"]
    assert frame["pages"] == ["Overzicht", "Plannen", "Leiden", "Mensen en afspraken", "Uitdraaien",
                              "Synchroniseren", "Instellingen"]  # fmt: skip
    assert frame["selected"] == [] and frame["built"] == []  # the first page follows on the next turn
    assert frame["status"].endswith(paths.DATABASE_NAME)
    loaded = set(frame["modules"])
    early = sorted(name for name in loaded if name in LATER_MODULES or name.startswith(("ui.pages.", "reportlab.")))
    assert early == [], f"loaded before the first frame: {early}"
    # PySide builds a class's enums with the class: the Qt namespace (~90 enums) and QStyle with its
    # options (set and drawn by ui/field_borders.py) cost the frame tens of milliseconds (ui/enum_names.py)
    assert frame["qt_types"] == []


def test_what_waits_until_after_the_first_frame_changes_no_pixel(tmp_path, demo_file):
    from PySide6.QtGui import QImage

    database = str(_data(tmp_path, demo_file) / paths.DATABASE_NAME)
    for how in ("first_frame", "at_once"):
        done = _child(GRAB, how, str(tmp_path / how), database)
        assert done.returncode == 0, done.stderr[-2000:]
    for shot in ("frame", "page"):
        start, usual = (QImage(str(tmp_path / f"{how}-{shot}.png")) for how in ("first_frame", "at_once"))
        assert not start.isNull() and start == usual, shot


def test_enum_values_set_by_name_are_the_values_and_a_misspelt_name_is_refused(qapp):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QListWidget

    from ui.enum_names import set_by_name

    widget, action = QListWidget(), QAction("x")
    set_by_name(widget, "focusPolicy", "NoFocus")
    set_by_name(action, "shortcutContext", "ApplicationShortcut")
    set_by_name(qapp.styleHints(), "colorScheme", "Light")  # offscreen reports no scheme: it takes the request
    assert widget.focusPolicy() == Qt.NoFocus and action.shortcutContext() == Qt.ApplicationShortcut
    for target, name, key in ((widget, "focusPolicy", "NoFokus"), (qapp.styleHints(), "colourScheme", "Light")):
        with pytest.raises(ValueError):
            set_by_name(target, name, key)
