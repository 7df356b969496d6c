"""The user guide window (Help > User guide, F1), readable without internet.

The guide is plain Markdown in docs/handleiding, shipped with every installation
(see wijkkit.assets.guide_dir). A QTextBrowser renders it, follows the links between
chapters, shows the screenshots, and keeps a back/forward history; links to the web
open in the computer's browser. One window is kept and raised again, so pressing F1
twice does not stack copies.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QTextBrowser, QToolBar, QWidget

from wijkkit import assets
from wijkkit.i18n import _


class GuideWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Wijkkit user guide"))
        self.folder = assets.guide_dir()
        self.browser = QTextBrowser(objectName="guide")
        self.browser.setOpenExternalLinks(True)  # http(s) links go to the system browser
        self.browser.setSearchPaths([str(self.folder)] if self.folder else [])
        self.browser.document().setDocumentMargin(20)
        self.setCentralWidget(self.browser)

        bar = QToolBar(_("Navigation"), objectName="guideBar")
        bar.setMovable(False)
        self.back = bar.addAction(_("Back"), self.browser.backward)
        self.back.setShortcut(QKeySequence.StandardKey.Back)
        self.forward = bar.addAction(_("Forward"), self.browser.forward)
        self.forward.setShortcut(QKeySequence.StandardKey.Forward)
        self.home = bar.addAction(_("Contents"), self.show_contents)
        self.home.setShortcut(QKeySequence("Alt+Home"))
        self.addToolBar(bar)
        self.browser.backwardAvailable.connect(self.back.setEnabled)
        self.browser.forwardAvailable.connect(self.forward.setEnabled)
        self.back.setEnabled(False)
        self.forward.setEnabled(False)
        self.resize(1040, 720)
        self.show_contents()

    def show_contents(self) -> None:
        if self.folder is not None:
            self.browser.setSource(QUrl.fromLocalFile(str(self.folder / "index.md")))

    def open_chapter(self, name: str) -> None:
        """Show one chapter by file name, e.g. ``"de-avond.md"``."""
        self.browser.setSource(self.browser.source().resolved(QUrl(name)))


def show_guide(window: QMainWindow) -> GuideWindow | None:
    """Open (or raise) the guide next to ``window``; a message if it is not installed."""
    guide = getattr(window, "_guide", None)
    if guide is None:
        if assets.guide_dir() is None:
            QMessageBox.warning(window, _("User guide"),
                                _("The user guide is missing from this installation. "
                                  "Reinstall Wijkkit to get it back."))  # fmt: skip
            return None
        guide = window._guide = GuideWindow(window)
    guide.show()
    guide.raise_()
    guide.activateWindow()
    return guide
