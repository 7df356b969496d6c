"""Uitdraaien: choose a handout and a meeting, look at it, print it or save it.

The PDF is rendered by the core (reportlab) in a worker thread with its own
database connection, then shown with QtPdf. Printing draws each page as an image
(ui/print_pages.py); 'Open' hands a copy to the computer's own PDF viewer.
Saving the feedback or the progress report also writes its accessible HTML beside
the PDF (wijkkit/handouts/html_report.py), for those who read it with a screen reader.

For the keyboard and the screen reader (issue 17): the document list, the meeting
and the preview have names of their own, Tab goes list, meeting, the four buttons,
preview (Tab leaves the list, arrows move in it), and the warning under the buttons
is named as one.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
)

from wijkkit import dates
from wijkkit.atomic import write_atomically
from wijkkit.errors import KitError
from wijkkit.filenames import safe_name
from wijkkit.i18n import _, gettext, ngettext
from wijkkit.kit import Kit

from ... import background, errors
from ...a11y import heading_for, name, no_tab_trap
from ...bridge import KitBridge
from ...files import save_file_name, viewer_copy
from ...forms import compact
from ...widgets import ElidedLines, Page

if TYPE_CHECKING:
    from wijkkit.handouts import Handout

PRIVATE_KINDS = frozenset({"recovery"})  # saved readable by this user only (0600)


def render_in_worker(path: Path | None, kit: Kit, kind: str, session_id: str | None) -> Handout:
    """Runs in a worker thread: a Kit of its own on the same file (or the given one in memory)."""
    from wijkkit.handouts import make

    if path is None:
        return make(kind, kit, session_id)
    with Kit.open(path) as own:
        return make(kind, own, session_id)


class PrintPage(Page):
    def __init__(self, kit: Kit, bridge: KitBridge) -> None:
        super().__init__(_("Print"), _("Every handout of a meeting as an A4 PDF: look at it, print it or save it."))
        from wijkkit.handouts.render import KINDS, NEEDS_SESSION

        self.kit, self.kinds, self.needs_session = kit, list(KINDS), NEEDS_SESSION
        self.data: bytes | None = None
        self.html: str | None = None  # the feedback and progress reports' accessible HTML
        self.documents = no_tab_trap(QListWidget(objectName="handoutKinds"))  # a fixed list; arrows choose in it
        for kind in self.kinds:
            self.documents.addItem(gettext(KINDS[kind]))
        self.documents.setMaximumWidth(300)
        self.meeting = compact(QComboBox(objectName="handoutMeeting"), 24)
        self.show_button = QPushButton(_("Show"), clicked=self.refresh_preview)
        self.save_button = QPushButton(_("Save as PDF…"), clicked=self.ask_save)
        self.print_button = QPushButton(_("Print…"), clicked=self.ask_print)
        self.open_button = QPushButton(_("Open in PDF viewer"), clicked=self.open_external)
        self.status = ElidedLines(2, "muted", wrap=True)  # two lines whatever it says: the buttons stay put
        # names no font on this computer could print (they show as boxes): said until the next document;
        # wrapped whole (at most three names): the document list above gives up the room
        self.gaps = QLabel(objectName="warning", wordWrap=True)
        self.gaps.setTextFormat(Qt.PlainText)
        self.gaps.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)  # the column keeps its width
        self.gaps.hide()
        name(self.gaps, _("Warning"))  # what it says: its description, set with the text
        left = QVBoxLayout()
        left.addWidget(heading_for(self.documents, _("Document")))
        left.addWidget(self.documents, 1)
        left.addWidget(heading_for(self.meeting, _("Meeting")))
        left.addWidget(self.meeting)
        for button in (self.show_button, self.save_button, self.print_button, self.open_button):
            left.addWidget(button)
        left.addWidget(self.status)
        left.addWidget(self.gaps)
        self.pdf = QPdfDocument(self)
        self.pdf.statusChanged.connect(self._loaded)
        self.view = QPdfView(objectName="preview")
        self.view.setDocument(self.pdf)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        name(self.view, _("Preview of the document"))
        self.view.setFocusPolicy(Qt.StrongFocus)  # reached by Tab: the arrows and Page Down scroll it
        row = QHBoxLayout()
        row.addLayout(left)
        row.addWidget(self.view, 1)
        self.layout_.addLayout(row, 1)
        chain = (self.documents, self.meeting, self.show_button, self.save_button, self.print_button,
                 self.open_button, self.view)  # fmt: skip
        for before, after in pairwise(chain):
            self.setTabOrder(before, after)
        self._buffer: QBuffer | None = None
        self.documents.currentRowChanged.connect(lambda _row: self.refresh_preview())
        self.meeting.currentIndexChanged.connect(lambda _index: self.refresh_preview())
        bridge.changed.connect(lambda changes: "session" in changes and self.load_meetings())
        self.load_meetings()
        self.documents.setCurrentRow(self.kinds.index("programme"))

    def load_meetings(self) -> None:
        chosen = self.meeting.currentData()
        upcoming = self.kit.sessions.next_planned()
        self.meeting.blockSignals(True)
        self.meeting.clear()
        for session in self.kit.sessions.list():
            self.meeting.addItem(f"{dates.short_date(session.starts_at)}  {session.title}", session.id)
        default = chosen or (upcoming.id if upcoming else None)
        self.meeting.setCurrentIndex(max(0, self.meeting.findData(default)) if self.meeting.count() else -1)
        self.meeting.blockSignals(False)

    def kind(self) -> str:
        return self.kinds[max(0, self.documents.currentRow())]

    def refresh_preview(self) -> None:
        kind = self.kind()
        self.meeting.setEnabled(kind in self.needs_session)
        session_id = self.meeting.currentData() if kind in self.needs_session else None
        self.status.setText(_("Making the document…"))
        path = self.kit.path
        if path is None:  # an in-memory database cannot be used from another thread
            try:
                self.show_pdf(render_in_worker(None, self.kit, kind, session_id))
            except Exception as error:  # noqa: BLE001 - shown like a background failure
                self._failed(error)
            return
        background.run(self, lambda: render_in_worker(path, self.kit, kind, session_id), self.show_pdf,
                       self._failed, _("Making the document…"))  # fmt: skip

    def show_pdf(self, handout: Handout) -> None:
        self.data = data = handout.data
        self.html = handout.html
        self.gaps.setText(handout.warning())
        self.gaps.setAccessibleDescription(handout.warning())
        self.gaps.setVisible(bool(handout.gaps))
        self.pdf.close()
        self._bytes = QByteArray(data)  # the buffer only points at it: keep it alive
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.ReadOnly)
        self.pdf.load(self._buffer)  # QtPdf loads in the background: _loaded reports the pages

    def _loaded(self, status) -> None:
        if status == QPdfDocument.Status.Ready:
            count = self.pdf.pageCount()
            self.status.setText(ngettext("{n} page", "{n} pages", count).format(n=count))
        elif status == QPdfDocument.Status.Error:
            self.status.setText(_("The document could not be made."))

    def _failed(self, error: BaseException) -> None:
        self.data = self.html = None
        self.gaps.hide()
        self.status.setText(error.localized() if isinstance(error, KitError) else _("The document could not be made."))
        if not isinstance(error, KitError):
            errors.report(self, error)

    def ask_save(self) -> None:
        if self.data is None:
            return
        path, _filter = save_file_name(self, _("Save as PDF"), self.file_title() + ".pdf", "PDF (*.pdf)")
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path, private: bool = False) -> bool:
        """The PDF at ``path``; the feedback and progress reports also their HTML beside it (the same name)."""
        from wijkkit.handouts.render import html_beside

        html = None
        try:  # the recovery sheet holds the database key: for this user only
            write_atomically(path, self.data or b"", private=private or self.kind() in PRIVATE_KINDS)
            if self.html is not None:
                html = write_atomically(html_beside(path), self.html.encode("utf-8"), private=private)
        except KitError as error:  # open in a PDF viewer: said in a message box, the file left as it was
            self.status.setText(error.localized())
            errors.report(self, error)
            return False
        except OSError as error:
            self.status.setText(_("The file could not be written: {reason}").format(reason=error.strerror or error))
            return False
        if html is None:
            self.status.setText(_("Saved as {path}.").format(path=path))
        else:
            self.status.setText(_("Saved as {path}, with {name} beside it for screen readers.").format(
                path=path, name=html.name))  # fmt: skip
        return True

    def open_external(self) -> None:
        if self.data is None:
            return
        try:  # a new name each time: the viewer may still hold the last copy (Windows)
            target = viewer_copy(self.data, self.file_title())
        except (KitError, OSError) as error:
            self.status.setText(error.localized() if isinstance(error, KitError) else _(
                "The file could not be written: {reason}").format(reason=error.strerror or error))  # fmt: skip
            return
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
            self.status.setText("")
        else:  # no program for PDF files on this computer
            target.unlink(missing_ok=True)  # a copy naming residents is not left behind for nobody
            self.status.setText(_("No PDF viewer was found on this computer. Use \"Save as PDF…\" and open the "
                                  "file with another program, or print it directly."))  # fmt: skip

    def file_title(self) -> str:
        """A file name for the document: its title, and the meeting's date and title where it is about one."""
        title = self.documents.item(self.kinds.index(self.kind())).text()
        if self.kind() in self.needs_session and self.meeting.currentIndex() >= 0:
            title += " " + self.meeting.currentText()
        return safe_name(title, self.kind())

    def ask_print(self) -> None:
        from ... import print_pages

        if self.data is None:
            return
        printer = print_pages.new_printer(f"Wijkkit {self.kind()}")
        if print_pages.ask(printer, self):
            self.print_to(printer)

    def print_to(self, printer) -> int:
        """Every page on the printer (ui/print_pages.py); the number of pages sent."""
        from ... import print_pages

        sent = print_pages.print_document(self.pdf, printer)
        self.status.setText(_("The printer could not be used.") if sent is None else _("Sent to the printer."))
        return sent or 0
