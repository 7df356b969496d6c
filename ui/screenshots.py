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
EXTRA_SHOTS: list[Callable[[object, Path], list[Path]]] = []


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
