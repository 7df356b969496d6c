"""Every menu action of the main window, in one place.

Shortcuts are set with ``setShortcuts(StandardKey)``: the platform's own keys, and unlike
``setShortcut(QKeySequence)`` (or the ``shortcut=`` keyword) it does not make PySide build
the Qt namespace's ~90 enums (about 30 ms) before the window is first painted.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from wijkkit import __version__
from wijkkit.i18n import _

from .enum_names import set_by_name


def install(window: QMainWindow) -> dict[str, QAction]:
    actions: dict[str, QAction] = {}
    file_menu = window.menuBar().addMenu(_("&File"))
    rehearse = QAction(_("&Rehearse…"), window, triggered=lambda: _rehearse(window))
    rehearse.setShortcuts([QKeySequence("Ctrl+Shift+O")])  # O for Oefenen
    file_menu.addAction(rehearse)
    file_menu.addSeparator()
    actions["rehearse"] = rehearse
    quit_action = QAction(_("&Quit"), window, triggered=window.quit_asked)
    # Ctrl+Q where the platform has no standard Quit key (Windows, offscreen), as the guide says
    quit_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.Quit) or [QKeySequence("Ctrl+Q")])
    # also from the projector, which may cover the screen (Qt.ApplicationShortcut: ui/enum_names.py)
    set_by_name(quit_action, "shortcutContext", "ApplicationShortcut")
    file_menu.addAction(quit_action)
    actions["quit"] = quit_action

    help_menu = window.menuBar().addMenu(_("&Help"))
    guide = QAction(_("&User guide"), window, triggered=lambda: _guide(window))
    guide.setShortcuts(QKeySequence.HelpContents)
    help_menu.addAction(guide)
    actions["guide"] = guide
    about = QAction(_("&About Wijkkit"), window, triggered=lambda: _about(window))
    help_menu.addAction(about)
    actions["about"] = about
    return actions


def _rehearse(window: QMainWindow) -> None:
    from .rehearsal import start_rehearsal  # built when first asked for

    start_rehearsal(window.kit, window, getattr(window, "steady", None))


def _guide(window: QMainWindow) -> None:
    from .guide import show_guide  # the guide window is built when first asked for

    show_guide(window)


def _about(window: QMainWindow) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.about(
        window,
        _("About Wijkkit"),
        _("Wijkkit {version}\nA kit for neighbourhood dialogues: plan, lead, capture, print and sync.").format(
            version=__version__
        ),
    )
