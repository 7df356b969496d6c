"""The proxy style with darker field borders and a ring around the current item of a focused list.

Split from ui/style.py so that the app's first frame does not wait for it: defining it builds
PySide's types for QStyle and its options (a few dozen enums), and while it is the style every
frame calls back into Python for each thing drawn. The first frame shows no field and no
focus, so it looks the same without it; ``ui/app.py`` installs it just after that frame,
before the first page is built. ``apply_style`` installs it at once everywhere else.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption

from . import focus_ring
from .style import FIELD_BORDER


class FieldBorders(QProxyStyle):
    """The app's own style with darker field borders: Fusion draws the frame of a field, a spin box
    and a combo box in the window colour darkened by 40 % (#ababab, 2.3:1 against white); handed a
    window colour 40 % lighter than ``FIELD_BORDER`` it draws that instead, at the size and in the
    shape it always had. Other styles draw their fields in their own colours and ignore this."""

    PRIMITIVES = (QStyle.PE_FrameLineEdit, QStyle.PE_PanelLineEdit, QStyle.PE_Frame,
                  QStyle.PE_IndicatorCheckBox, QStyle.PE_IndicatorRadioButton)
    CONTROLS = (QStyle.CC_SpinBox, QStyle.CC_ComboBox)

    @staticmethod
    def _darker_frame(option: QStyleOption) -> QStyleOption:
        copy = type(option)(option)
        palette = QPalette(option.palette)
        hue, saturation, value, _alpha = QColor(FIELD_BORDER).getHsv()
        palette.setColor(QPalette.Window, QColor.fromHsv(hue, saturation, min(255, round(value * 1.4))))
        copy.palette = palette
        return copy

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802 (Qt's name)
        if element == QStyle.PE_FrameFocusRect and option.state & QStyle.State_Item:
            self._item_ring(option, painter)
            return
        if element in self.PRIMITIVES:
            option = self._darker_frame(option)
        super().drawPrimitive(element, option, painter, widget)

    @staticmethod
    def _item_ring(option: QStyleOption, painter: QPainter) -> None:
        """The current row or cell of a list or table with the focus: a 2 px ring inside it, white on
        a selected (dark green) item, dark on a light one (Fusion draws a faint 1 px one)."""
        behind = getattr(option, "backgroundColor", QColor())
        selected = bool(option.state & QStyle.State_Selected) or (behind.isValid() and behind.lightness() < 128)
        painter.save()
        pen = QPen(QColor("#ffffff" if selected else focus_ring.RING), focus_ring.WIDTH)
        pen.setJoinStyle(Qt.MiterJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.NoBrush)
        half = focus_ring.WIDTH / 2
        painter.drawRect(option.rect.toRectF().adjusted(half, half, -half, -half))
        painter.restore()

    def drawComplexControl(self, control, option, painter, widget=None) -> None:  # noqa: N802
        if control in self.CONTROLS:
            option = self._darker_frame(option)
        super().drawComplexControl(control, option, painter, widget)


_field_style: list[FieldBorders] = []  # set once per process (one QApplication)


def install(app: QApplication) -> None:
    """The platform's own style (Fusion, Windows 11, macOS) inside the proxy, once."""
    if not _field_style:
        _field_style.append(FieldBorders())
        app.setStyle(_field_style[0])
