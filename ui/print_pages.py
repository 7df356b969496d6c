"""Printing a PDF shown with QtPdf: each page as an image of bounded resolution, on white.

Qt has no vector path from a PDF to a printer: QtPdf (pdfium) renders a page to an image, and
that image is what the printer driver receives. At the printer's own resolution (QPrinter's
HighResolution: 600 or 1200 dpi) an A4 page is 35 to 140 million pixels, hundreds of MB in the
spool file of a Windows printer driver and minutes before the first sheet. And pdfium leaves a
page's background transparent: some drivers then spool an alpha mask beside the image, or print
the transparent parts black. So a page is rendered at no more than ``PRINT_DPI`` (what a laser
printer makes of text and lines on paper anyway; a handout has no photographs), flattened onto
opaque white, and drawn scaled into the page: the driver does the enlarging.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize, QSizeF
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

from .pdf_pages import on_white

PRINT_DPI = 300


def new_printer(document_name: str) -> QPrinter:
    """A printer set up for a handout: A4 (the handouts are; the dialog may change it), named in the queue."""
    printer = QPrinter(QPrinter.HighResolution)
    printer.setDocName(document_name)
    printer.setPageSize(QPageSize(QPageSize.A4))
    return printer


def ask(printer: QPrinter, parent: QWidget) -> bool:
    """The system's print dialog for ``printer``; whether the user chose to print."""
    return bool(QPrintDialog(printer, parent).exec())


def page_target(page: QSizeF, area: QRect) -> QRect:
    """Where a page of ``page`` points goes in the printable ``area`` (device pixels): as large as fits."""
    scale = min(area.width() / page.width(), area.height() / page.height())
    return QRect(0, 0, round(page.width() * scale), round(page.height() * scale))


def image_size(target: QSize, printer_dpi: int) -> QSize:
    """The pixels to render for ``target`` (printer pixels): the same, or fewer for a printer finer than PRINT_DPI."""
    if printer_dpi <= PRINT_DPI:
        return target
    factor = PRINT_DPI / printer_dpi
    return QSize(max(1, round(target.width() * factor)), max(1, round(target.height() * factor)))


def print_document(document: QPdfDocument, printer: QPrinter) -> int | None:
    """Every page of ``document`` on ``printer``; the number of pages sent, None when the printer
    could not be opened."""
    painter = QPainter()
    if not painter.begin(printer):
        return None
    painter.setRenderHint(QPainter.SmoothPixmapTransform)  # for engines that scale the image themselves
    area = painter.viewport()
    for page in range(document.pageCount()):
        if page:
            printer.newPage()
        target = page_target(document.pagePointSize(page), area)
        image = on_white(document.render(page, image_size(target.size(), printer.resolution())))
        painter.drawImage(QRectF(target), image)
        del image  # one page in memory at a time
    painter.end()
    return document.pageCount()
