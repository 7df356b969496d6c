"""Fixtures for the UI tests: a demo village dated today, and the main window on it; for the sync
pages' tests the application in Dutch (``dutch_app``) and an empty hub database file (their village
of a hub and laptops, ``village``, is in tests/conftest.py)."""

from __future__ import annotations

import pytest

from wijkkit import demo
from wijkkit.kit import Kit


@pytest.fixture(autouse=True)
def _settings_per_test(tmp_path_factory):
    """Qt settings in a fresh temp folder for each test, as an INI file on every system: on Windows
    they would go to the registry and on macOS to ~/Library, and on Linux Qt reads XDG_CONFIG_HOME
    only once per process, so without this every test would share the first test's settings."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path_factory.mktemp("qt")))


@pytest.fixture
def today_kit(tmp_path):
    """A demo village made today, so 'next meeting' and 'overdue' match the real clock."""
    path = tmp_path / "wijkkit.sqlite"
    demo.create(path)
    with Kit.open(path) as opened:
        yield opened


def shown_window(qtbot, kit, size: tuple[int, int] = (1366, 768)):
    """The main window on ``kit`` in Dutch, shown at ``size``."""
    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application("nl")
    main = MainWindow(kit)
    qtbot.addWidget(main)
    main.resize(*size)
    main.show()
    qtbot.waitExposed(main)
    return main


def open_printing(qtbot, window):
    """Uitdraaien chosen in the sidebar with the mouse; the page once its first document is rendered."""
    from PySide6.QtCore import Qt

    from ui import background

    rect = window.nav.visualItemRect(window.nav.item(4))
    qtbot.mouseClick(window.nav.viewport(), Qt.LeftButton, pos=rect.center())
    printing = window.page(4)
    background.wait()
    return printing


@pytest.fixture
def window(qtbot, today_kit):
    return shown_window(qtbot, today_kit)


@pytest.fixture
def plan(qtbot, window):
    """The Plannen page at 1024x768, opened by a click in the sidebar, showing all meetings."""
    from PySide6.QtCore import Qt

    from ui.pages.plan.page import PlanPage

    window.resize(1024, 768)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    rect = window.nav.visualItemRect(window.nav.item(1))
    qtbot.mouseClick(window.nav.viewport(), Qt.LeftButton, pos=rect.center())
    page = window.current_page()
    assert isinstance(page, PlanPage)
    page.neighbourhood_view.setCurrentIndex(page.neighbourhoods.index(0, 0))  # all meetings
    return page


@pytest.fixture
def dutch_app():
    """The application in Dutch; a module of tests takes it with ``pytest.mark.usefixtures``."""
    from ui.app import make_application

    make_application("nl")


@pytest.fixture
def hub(tmp_path):
    """An empty database file, hub.sqlite; the test makes it a hub on its Synchroniseren page."""
    with Kit.open(tmp_path / "hub.sqlite") as opened:
        yield opened
