"""'Open in PDF viewer' twice while the viewer holds the first copy (issue 15, 3).

Acrobat and Edge on Windows hold the PDF they show: writing over it fails. Linux holds nothing, so
the test makes every write over, or removal of, the first copy fail the way Windows does, and the
second open must still reach the viewer, as a new file with a readable name.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from PySide6.QtCore import Qt

from tests.ui.conftest import open_printing
from wijkkit import atomic
from wijkkit.filenames import safe_name

from ui import background
from ui.files import VIEWER_FOLDER


@pytest.fixture
def page(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    printing = open_printing(qtbot, window)
    printing.documents.setCurrentRow(printing.kinds.index("programme"))
    background.wait()
    qtbot.waitUntil(lambda: printing.data is not None and printing.pdf.pageCount() > 0)
    return printing


@pytest.fixture
def opened(monkeypatch):
    """The files handed to the system's PDF viewer."""
    from ui.pages.printing import page as module

    urls: list[Path] = []
    monkeypatch.setattr(module.QDesktopServices, "openUrl", lambda url: urls.append(Path(url.toLocalFile())) or True)
    return urls


def hold(monkeypatch, held: Path) -> None:
    """From now on ``held`` is open in the viewer: replacing or removing it fails as on Windows."""

    def in_use() -> PermissionError:
        error = PermissionError(13, "The process cannot access the file because it is being used by another process")
        error.winerror = 32
        return error

    real_replace, real_unlink = os.replace, Path.unlink

    def replace(source, target):
        if Path(target) == held:
            raise in_use()
        return real_replace(source, target)

    def unlink(path, *args, **kwargs):
        if Path(path) == held:
            raise in_use()
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(Path, "unlink", unlink)
    monkeypatch.setattr(atomic.time, "sleep", lambda seconds: None)


def test_a_second_open_while_the_viewer_holds_the_first_gets_a_new_file(qtbot, page, opened, monkeypatch, tmp_path):
    qtbot.mouseClick(page.open_button, Qt.LeftButton)
    assert len(opened) == 1
    first = opened[0]
    assert first.read_bytes() == page.data
    hold(monkeypatch, first)

    qtbot.mouseClick(page.open_button, Qt.LeftButton)
    assert len(opened) == 2, page.status.text()
    second = opened[1]
    assert second != first and second.parent == first.parent == tmp_path / VIEWER_FOLDER
    assert first.name.startswith(safe_name(page.documents.currentItem().text()))  # readable: the title
    assert first.read_bytes() == second.read_bytes() == page.data
    assert not list(first.parent.glob("*.part"))


def test_copies_older_than_a_day_are_cleared_except_those_still_open(qtbot, page, opened, monkeypatch, tmp_path):
    folder = tmp_path / VIEWER_FOLDER
    folder.mkdir(mode=0o700)
    old, still_open = folder / "Programma oud.pdf", folder / "Programma nog open.pdf"
    for path in (old, still_open):
        path.write_bytes(b"%PDF-1.7")
        two_days_ago = path.stat().st_mtime - 2 * 24 * 3600
        os.utime(path, (two_days_ago, two_days_ago))
    hold(monkeypatch, still_open)
    qtbot.mouseClick(page.open_button, Qt.LeftButton)
    assert len(opened) == 1
    assert sorted(folder.iterdir()) == sorted([still_open, opened[0]])


def test_the_copies_are_for_this_user_only(qtbot, page, opened, tmp_path):
    qtbot.mouseClick(page.open_button, Qt.LeftButton)
    if os.name != "nt":  # Windows keeps the temporary folder to its user by the profile's ACL
        assert (tmp_path / VIEWER_FOLDER).stat().st_mode & 0o777 == 0o700
        assert opened[0].stat().st_mode & 0o777 == 0o600


def test_quitting_removes_the_copies_except_one_still_open(qtbot, tmp_path, monkeypatch, demo_file):
    """Handouts name residents: the copies for the viewer do not stay in the temporary folder."""
    import shutil
    import sys

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import wijkkit_launcher
    from tests.ui.test_windowed_start import QUIT_AFTER_MS
    from wijkkit import paths

    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    folder = tmp_path / VIEWER_FOLDER
    folder.mkdir(mode=0o700)
    shown, still_open = folder / "Presentielijst 19.30.pdf", folder / "Programma 19.45.pdf"
    for path in (shown, still_open):
        path.write_bytes(b"%PDF-1.7")
    hold(monkeypatch, still_open)
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(demo_file, data / paths.DATABASE_NAME)
    windows = []

    def quit_when_shown():  # once the first page is built (its timer would find the kit closed)
        windows.extend(w for w in QApplication.topLevelWidgets() if w.isVisible() and type(w).__name__ == "MainWindow")
        if windows:
            QTimer.singleShot(QUIT_AFTER_MS, QApplication.quit)
        else:
            QTimer.singleShot(100, quit_when_shown)

    QTimer.singleShot(100, quit_when_shown)
    hook = sys.excepthook
    try:
        assert wijkkit_launcher.main(["--data-dir", str(data)]) == 0
    finally:
        sys.excepthook = hook
    assert sorted(folder.iterdir()) == [still_open]
    [window] = windows
    gone: list[bool] = []
    window.destroyed.connect(lambda: gone.append(True))
    window.close()
    window.deleteLater()  # with it go its timers
    qtbot.waitUntil(lambda: bool(gone))


def test_without_a_pdf_viewer_it_says_what_to_do_and_keeps_no_copy(qtbot, page, monkeypatch, tmp_path):
    from ui.pages.printing import page as module

    monkeypatch.setattr(module.QDesktopServices, "openUrl", lambda url: False)  # no program for PDF files
    qtbot.mouseClick(page.open_button, Qt.LeftButton)
    assert "pdf-lezer" in page.status.text() and "Opslaan als pdf" in page.status.text()
    assert list((tmp_path / VIEWER_FOLDER).iterdir()) == []


def test_at_start_the_copies_a_crash_left_go_but_not_one_just_made(tmp_path):
    from ui.files import clear_viewer_copies

    folder = tmp_path / VIEWER_FOLDER
    folder.mkdir(mode=0o700)
    left, fresh = folder / "Herstelblad oud.pdf", folder / "Programma net.pdf"
    for path in (left, fresh):
        path.write_bytes(b"%PDF-1.7")
    an_hour_ago = left.stat().st_mtime - 3600
    os.utime(left, (an_hour_ago, an_hour_ago))
    clear_viewer_copies(tmp_path, older_than=60)
    assert list(folder.iterdir()) == [fresh]
