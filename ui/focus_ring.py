"""A focus ring you can see on every control: 2 px, dark green on the light pages, light on the sidebar.

Qt's own focus cues differ per style and per kind of widget: Fusion draws a 1 px ring of 2.35:1
against the border it replaces on fields and nothing at all on lists, tables, the PDF preview or
a page that takes the focus itself (the Leiden console). Style sheet rules per kind would restyle
every native control (and a field's own style sheet, such as the red border of a field in error,
would hide them). So one ring is drawn over whatever widget has the keyboard focus, whatever its
kind: a transparent overlay that ignores the mouse, laid over the widget's outer 2 pixels (its own
border), with a contrast of at least 3:1 against the border, the page and the field's inside
(WCAG 2.4.7 and 1.4.11; tests/ui/test_focus_ring_visible.py measures it in a grab).

The current item inside a focused list or table gets a ring of its own from ui/style.py.

Like QFocusFrame it lives in the nearest scroll area's viewport (or the window), so a control
scrolled half out of view has its ring clipped with it; it follows the control's moves, resizes and
hiding through event filters on the control and its parents up to there.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget
from shiboken6 import isValid

RING = "#0a3027"  # 3.4:1 against the field border, over 12:1 against the page and white
RING_ON_DARK = "#8fd3b6"  # the sidebar: 6.9:1 against its green
DARK_WIDGETS = {"nav"}  # object names of controls on a dark background
WIDTH = 2  # pixels


class FocusRing(QWidget):
    """The ring itself, laid over ``target``; it lives in ``parent`` (see ``frame_parent``)."""

    def __init__(self, target: QWidget, parent: QWidget) -> None:
        super().__init__(parent, objectName="focusRing")
        self.setAttribute(Qt.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.NoFocus)
        self.target = target
        self.colour = QColor(RING_ON_DARK if target.objectName() in DARK_WIDGETS else RING)

    def place(self) -> None:
        target, parent = self.target, self.parentWidget()
        if not (isValid(target) and target.isVisible()) or parent is None:
            self.hide()
            return
        self.setGeometry(QRect(target.mapTo(parent, QPoint(0, 0)), target.size()))
        self.show()
        self.raise_()
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        pen = QPen(self.colour, WIDTH)
        pen.setJoinStyle(Qt.MiterJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.NoBrush)
        half = WIDTH / 2
        painter.drawRect(self.rect().toRectF().adjusted(half, half, -half, -half))


def frame_parent(widget: QWidget) -> tuple[QWidget, list[QWidget]]:
    """Where the ring of ``widget`` lives: the viewport of the nearest scroll area around it, or its
    window; and the widgets in between, whose moves move the ring."""
    between, holder, child = [], widget.parentWidget(), widget
    while holder is not None and not holder.isWindow() and not isinstance(holder, QAbstractScrollArea):
        between.append(holder)
        holder, child = holder.parentWidget(), holder
    if isinstance(holder, QAbstractScrollArea) and child is not widget:
        between.pop()  # the viewport itself: the ring is clipped where the control is scrolled away
        holder = child
    return holder, between


def owner(widget: QWidget | None) -> QWidget | None:
    """The control a person sees as focused: a spin box rather than the line edit inside it."""
    while widget is not None and widget.parentWidget() is not None:
        parent = widget.parentWidget()
        if parent.focusProxy() is not widget:
            break
        widget = parent
    return widget


class FocusTracker(QObject):
    """Moves the ring to each widget that gets the keyboard focus, and keeps it on it."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.ring: FocusRing | None = None
        self._watched: list[QWidget] = []
        app.focusChanged.connect(lambda _old, new: self.follow(owner(new)))

    def follow(self, widget: QWidget | None) -> None:
        """The ring around ``widget``, or no ring for None (or a window)."""
        for watched in self._watched:
            if isValid(watched):
                watched.removeEventFilter(self)
        self._watched = []
        if self.ring is not None and isValid(self.ring):
            self.ring.hide()
            self.ring.deleteLater()
        self.ring = None
        if (widget is None or not isValid(widget) or widget.isWindow() or QApplication.closingDown()
                or not widget.isVisible() or not widget.window().isVisible()):
            return  # nothing to ring, or a window being closed: no new child for a widget on its way out
        parent, between = frame_parent(widget)
        self.ring = FocusRing(widget, parent)
        self._watched = [widget, *between]
        for watched in self._watched:
            watched.installEventFilter(self)
        self.ring.place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Move, QEvent.Resize, QEvent.Show, QEvent.Hide) and self.ring is not None:
            if isValid(self.ring):
                self.ring.place()
        return False


_trackers: list[FocusTracker] = []


def install(app: QApplication) -> FocusTracker:
    """The focus ring of ``app``, following the focus from now on (asked again: the same tracker)."""
    for tracker in _trackers:
        if isValid(tracker) and tracker.parent() is app:
            return tracker
    tracker = FocusTracker(app)
    _trackers[:] = [tracker]
    tracker.follow(owner(app.focusWidget()))
    return tracker


def current_ring() -> FocusRing | None:
    """The ring on show, if any (for tests)."""
    ring = _trackers[0].ring if _trackers and isValid(_trackers[0]) else None
    return ring if ring is not None and isValid(ring) and ring.isVisible() else None
