"""The scroll area every page sits in: it scrolls only when the page cannot shrink to fit.

A plain QScrollArea sizes a page with word-wrapped labels by its *preferred* height for
the width, so a page whose tables could simply be shorter scrolled at 1024x768 anyway.
Here the page sits in a holder that asks for the page's *minimum* height at that width
(tables at their smallest, wrapped text whole): at the sizes the pages are made for
(decision 0017) nothing scrolls, and on a smaller screen, or with a larger system font (which
makes every page larger, ui/style.py), the page scrolls instead of pushing the window past the
screen. The scroll area itself takes no focus: Tab goes from control to control, and Qt scrolls
the one that gets the focus into view.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QWidget


class _Holder(QWidget):
    """The page's parent inside the scroll area, reporting the page's minimum as its size."""

    def __init__(self, page: QWidget, frame: QScrollArea) -> None:
        super().__init__()
        self.page, self.frame = page, frame
        page.setParent(self)
        page.installEventFilter(self)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        hint = self.page.minimumSizeHint().expandedTo(self.page.minimumSize())
        layout = self.page.layout()
        if layout is not None and layout.hasHeightForWidth():
            # wrapped text needs more height when narrow; but a tab widget reports its page's
            # preferred height here, so on a page with tabs this only counts up to the room there is
            width = max(hint.width(), self.frame.viewport().width())
            needed = layout.minimumHeightForWidth(width)
            if self.page.findChild(QTabWidget) is not None:
                needed = min(needed, self.frame.maximumViewportSize().height())
            hint.setHeight(max(hint.height(), needed))
        return hint

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSizeHint()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.page.setGeometry(self.rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.page and event.type() == QEvent.LayoutRequest:
            self.updateGeometry()  # the scroll area looks again at what the page needs
        return False


class PageFrame(QScrollArea):
    """A page in a frameless scroll area; ``page`` is the page itself."""

    def __init__(self, page: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="pageScroll")
        self.page = page
        self.setFrameShape(QFrame.NoFrame)
        self.setFocusPolicy(Qt.NoFocus)  # no Tab stop of its own: focusing a control scrolls it into view
        self.setWidgetResizable(True)
        self.setWidget(_Holder(page, self))
