"""The window's title and first size (issue 14, 18): the hub's window says it is the hub, a laptop's
names its file; the first window (nothing saved) fits the screen with its title bar, above the taskbar."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSettings

from wijkkit.i18n import gettext
from wijkkit.sync import keys

from ui.app import FRAME, default_geometry, make_application
from ui.main_window import MainWindow


def test_a_laptop_window_names_its_file_and_the_hub_window_says_hub(qtbot, today_kit, hub, tmp_path):
    make_application("nl")
    laptop = MainWindow(today_kit)
    qtbot.addWidget(laptop)
    assert laptop.windowTitle() == "Wijkkit — wijkkit.sqlite"
    hub_window = MainWindow(hub)
    qtbot.addWidget(hub_window)
    assert hub_window.windowTitle() == "Wijkkit — hub.sqlite"  # not a hub yet
    hub_window.show_page(5)
    page = hub_window.page(5)
    assert page.hub.make_hub(tmp_path / "hub-sleutel.wijkhub", "Gemeente Veldhorst") and keys.is_hub(hub)
    assert hub_window.windowTitle() == gettext("Wijkkit — municipality (hub)")  # "Wijkkit — gemeente (hub)"
    again = MainWindow(hub)
    qtbot.addWidget(again)
    assert again.windowTitle() == hub_window.windowTitle() != laptop.windowTitle()


def test_the_first_window_fits_the_screen_with_its_frame(qtbot, today_kit):
    make_application("nl")
    QSettings().remove("window/geometry")
    window = MainWindow(today_kit)
    qtbot.addWidget(window)
    window.restore_geometry()
    window.show()
    qtbot.waitExposed(window)
    available = window.screen().availableGeometry()
    assert available.contains(window.frameGeometry()), (window.frameGeometry(), available)
    assert available.contains(window.geometry().marginsAdded(FRAME))


def test_on_a_1366x768_screen_with_a_taskbar_the_window_and_its_title_bar_fit():
    available = QRect(0, 0, 1366, 728)  # 40 px of taskbar at the bottom
    inside = default_geometry(available)
    assert available.contains(inside.marginsAdded(FRAME))
    assert inside.width() >= 1280 and inside.height() >= 640
    big = default_geometry(QRect(0, 0, 1920, 1040))
    assert big.size().toTuple() == (1366, 768) and big.marginsAdded(FRAME).center() == QRect(0, 0, 1920, 1040).center()
