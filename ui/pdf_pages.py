"""PDF pages as images, through QtPdf: for the Uitdraaien preview, printing (ui/print_pages.py) and screenshots.

QPdfDocument reads from a QIODevice; the bytes stay in memory (a QBuffer), so a
preview never leaves files behind.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument


class PdfPages:
    def __init__(self, data: bytes) -> None:
        self._bytes = QByteArray(data)
        self._buffer = QBuffer(self._bytes)
        self._buffer.open(QIODevice.ReadOnly)
        self.document = QPdfDocument()
        self.document.load(self._buffer)
        if self.document.status() != QPdfDocument.Status.Ready:
            raise ValueError(f"the PDF could not be read: {self.document.error()}")

    @property
    def count(self) -> int:
        return self.document.pageCount()

    def image(self, page: int, width: int) -> QImage:
        """One page, ``width`` pixels wide, white background."""
        size = self.document.pagePointSize(page)
        height = round(width * size.height() / size.width())
        return on_white(self.document.render(page, QSize(width, height)))

    def close(self) -> None:
        self.document.close()
        self._buffer.close()


def on_white(image: QImage) -> QImage:
    """``image`` on opaque white, without an alpha channel: QtPdf leaves a page's background
    transparent, which turns black wherever the alpha is dropped, and printer drivers spool as an extra mask."""
    if not image.hasAlphaChannel():
        return image
    flat = QImage(image.size(), QImage.Format_RGB32)
    flat.fill(Qt.white)
    painter = QPainter(flat)
    painter.drawImage(0, 0, image)
    painter.end()
    return flat
