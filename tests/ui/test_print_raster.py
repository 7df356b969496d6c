"""Printing sends each page as an opaque image of at most 300 dpi, whatever the printer's resolution.

A 1200 dpi printer used to get a transparent image of the page at 1200 dpi: 140 million pixels,
hundreds of MB per page in a Windows spool file. Printed here to Qt's PDF printer at 1200 dpi,
with QPainter.drawImage watched.
"""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from tests.ui.conftest import open_printing

from ui import background

A4_INCHES = (210 / 25.4, 297 / 25.4)


@pytest.fixture
def printing(qtbot, window):
    page = open_printing(qtbot, window)
    page.documents.setCurrentRow(page.kinds.index("agreements"))
    background.wait()
    qtbot.waitUntil(lambda: page.pdf.pageCount() > 0 and page.status.text().endswith(("pagina", "pagina's")))
    return page


@pytest.fixture
def drawn(monkeypatch):
    """Every image drawn by a QPainter on a printer, with where it was drawn."""
    seen = []
    original = QPainter.drawImage

    def watch(painter, *args):
        if isinstance(painter.device(), QPrinter):
            seen.append(args)
        return original(painter, *args)

    monkeypatch.setattr(QPainter, "drawImage", watch)
    return seen


def page_drawn(args: tuple) -> tuple[QRectF, QImage]:
    """The rectangle and the image of one drawImage call (a point and an image draws it unscaled)."""
    image = next(arg for arg in args if isinstance(arg, QImage))
    target = next((QRectF(arg) for arg in args if isinstance(arg, (QRect, QRectF))), QRectF(image.rect()))
    return target, image


def test_a_1200_dpi_printer_gets_opaque_pages_of_at_most_300_dpi(printing, drawn, tmp_path):
    printer = QPrinter(QPrinter.HighResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setResolution(1200)
    printed = tmp_path / "printer.pdf"
    printer.setOutputFileName(str(printed))

    assert printing.print_to(printer) == printing.pdf.pageCount()

    pages = [page_drawn(args) for args in drawn]
    assert len(pages) == printing.pdf.pageCount()
    area = printer.pageLayout().paintRectPixels(1200)
    for target, image in pages:
        assert not image.hasAlphaChannel()
        assert image.pixelColor(2, 2).name() == "#ffffff"  # the page's margin is white, not transparent
        assert image.width() <= A4_INCHES[0] * 300 + 1 and image.height() <= A4_INCHES[1] * 300 + 1
        assert image.width() >= 0.9 * area.width() / 4  # not coarser than needed: 300 of the 1200 dpi
        assert target.width() >= 0.99 * min(area.width(), area.height() * 210 / 297)  # the page still fills the paper
    assert len(PdfReader(printed).pages) == len(pages)
    assert printed.stat().st_size < 2_000_000 * len(pages)
    print(f"{area.width()}x{area.height()} printer pixels, images {[image.size().toTuple() for _t, image in pages]}, "
          f"{printed.stat().st_size} bytes")
