"""``python -m ui.screenshots DIR``: a PNG of every page, for review without a screen.

Every page of the main window is shown offscreen at 1366x768 (a common laptop)
on a fresh demo village and saved as ``NN-page.png``. Later issues add their own
views (the projector at 1024x768, PDF pages) through ``EXTRA_SHOTS``.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

LAPTOP = (1366, 768)


def _save(widget, path: Path) -> Path:
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    widget.grab().save(str(path))
    return path


def plan_shots(window, out: Path) -> list[Path]:
    """The Plannen page's tabs, an agenda that does not fit, and its dialogs."""
    from .pages.plan_dialogs import NewMeetingDialog
    from .pages.templates_dialog import TemplatesDialog

    window.show_page(1)
    page = window.page(1)
    written = []
    for tab in range(1, page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        written.append(_save(window, out / f"02-plannen-{tab + 1}-{slug(page.tabs.tabText(tab))}.png"))
    page.tabs.setCurrentIndex(1)
    editor = page.agenda_editor
    editor.model.edit(editor.model.step(1).id, minutes=60)
    written.append(_save(window, out / "02-plannen-agenda-past-niet.png"))
    dialog = NewMeetingDialog(window.kit, parent=window)
    dialog.show()
    written.append(_save(dialog, out / "02-plannen-nieuwe-bijeenkomst.png"))
    dialog.close()
    templates = TemplatesDialog(window.kit, parent=window)
    templates.show()
    written.append(_save(templates, out / "02-plannen-sjablonen.png"))
    templates.close()
    return written


EXTRA_SHOTS: list[Callable[[object, Path], list[Path]]] = [plan_shots]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def capture_pages(window, out: Path, size: tuple[int, int] = LAPTOP) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    window.resize(*size)
    window.show()
    written = []
    for index in range(window.page_count):
        window.show_page(index)
        QApplication.processEvents()
        name = window.nav.item(index).text()
        path = out / f"{index + 1:02d}-{slug(name)}.png"
        window.grab().save(str(path))
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from wijkkit import demo
    from wijkkit.kit import Kit

    from .app import make_application
    from .main_window import MainWindow

    out = Path(argv[0] if argv else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    make_application(argv[1] if len(argv) > 1 else None)
    with tempfile.TemporaryDirectory(prefix="wijkkit-shots-") as folder:
        database = Path(folder) / "wijkkit.sqlite"
        demo.create(database)
        with Kit.open(database) as kit:
            window = MainWindow(kit)
            written = capture_pages(window, out)
            for extra in EXTRA_SHOTS:
                written += extra(window, out)
            window.close()
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
