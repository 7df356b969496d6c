"""A computer in dark mode (Windows 11, macOS) must not make the app's text unreadable.

The system's dark palette is simulated by setting it on the application before the app's own
style is applied, as the platform does at start-up. Then every page and every tab is shown and
photographed, and for each label, field, button, tab, table cell and header the text's colour is
compared with what lies behind it, in the pixels a person sees: the WCAG contrast ratio must be at
least 4.5 (3 for large text).
"""

from __future__ import annotations

from collections import Counter

import pytest

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QStyle,
    QTabBar,
    QTabWidget,
    QWidget,
)

DARK = {QPalette.Window: "#202020", QPalette.WindowText: "#ffffff", QPalette.Base: "#1c1c1c",
        QPalette.AlternateBase: "#2b2b2b", QPalette.Text: "#ffffff", QPalette.Button: "#2d2d2d",
        QPalette.ButtonText: "#ffffff", QPalette.ToolTipBase: "#2b2b2b", QPalette.ToolTipText: "#ffffff",
        QPalette.PlaceholderText: "#9a9a9a", QPalette.Highlight: "#4cc2ff", QPalette.HighlightedText: "#000000",
        QPalette.Light: "#3a3a3a", QPalette.Midlight: "#333333", QPalette.Mid: "#2a2a2a",
        QPalette.Dark: "#111111", QPalette.Shadow: "#000000"}  # fmt: skip  (Windows 11's dark colours)


def luminance(rgb: int) -> float:
    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(rgb >> 16 & 255) + 0.7152 * channel(rgb >> 8 & 255) + 0.0722 * channel(rgb & 255)


def contrast(one: int, other: int) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_contrast(image: QImage, rect: QRect) -> float | None:
    """The contrast between the commonest colour in ``rect`` (the background) and the colour that
    stands out most from it (the text's core); None when there is nothing but background."""
    crop = image.copy(rect).convertToFormat(QImage.Format_RGB32)
    counts = Counter(memoryview(bytes(crop.constBits())).cast("I"))  # RGB32 rows have no padding
    background = counts.most_common(1)[0][0]
    seen = [colour for colour, count in counts.items() if count >= 2 and colour != background]
    return max((contrast(background & 0xFFFFFF, colour & 0xFFFFFF) for colour in seen), default=None)


def needed(widget: QWidget) -> float:
    font = widget.font()
    pixels = font.pixelSize() if font.pixelSize() > 0 else font.pointSizeF() * 96 / 72
    return 3.0 if pixels >= 24 or (pixels >= 18.5 and font.bold()) else 4.5


def text_rects(widget: QWidget) -> list[tuple[QWidget, QRect, str]]:
    """The places in ``widget`` (in its own or its viewport's coordinates) where it shows a text."""
    if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
        return [(widget, widget.contentsRect(), widget.text())]
    if isinstance(widget, QLineEdit) and widget.text():
        return [(widget, widget.rect().adjusted(3, 3, -3, -3), widget.text())]
    if isinstance(widget, QComboBox) and widget.currentText():
        return [(widget, widget.rect().adjusted(3, 3, -24, -3), widget.currentText())]
    if isinstance(widget, (QCheckBox, QRadioButton)) and widget.text():
        style = widget.style()
        skip = style.pixelMetric(QStyle.PM_IndicatorWidth) + style.pixelMetric(QStyle.PM_CheckBoxLabelSpacing) + 2
        return [(widget, widget.rect().adjusted(skip, 0, 0, 0), widget.text())]
    if isinstance(widget, QAbstractButton) and widget.text():
        return [(widget, widget.rect().adjusted(5, 5, -5, -5), widget.text())]
    if isinstance(widget, QTabBar):
        return [(widget, widget.tabRect(i).adjusted(4, 4, -4, -4), widget.tabText(i)) for i in range(widget.count())]
    if isinstance(widget, QHeaderView) and widget.model() is not None:
        found = []
        for section in range(widget.count()):
            text = widget.model().headerData(section, widget.orientation())
            if text and not widget.isSectionHidden(section) and widget.orientation() == Qt.Horizontal:
                rect = QRect(widget.sectionViewportPosition(section), 0, widget.sectionSize(section), widget.height())
                found.append((widget.viewport(), rect.adjusted(3, 2, -3, -2), str(text)))
        return found
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        model, found = widget.model(), []
        selected = widget.selectionModel()
        for row, column in ((row, column) for row in range(12) for column in range(12)):
            if model.hasIndex(row, column):
                index = model.index(row, column)
                text = index.data()
                if text and isinstance(text, str) and not (selected and selected.isSelected(index)):
                    found.append((widget.viewport(), widget.visualRect(index).adjusted(1, 1, -1, -1), text))
        return found
    return []


def poor_contrasts(window, where: str, measured: list[str]) -> list[str]:
    """What in ``window`` shows a text with too little contrast; every text measured goes into ``measured``."""
    QApplication.processEvents()
    image = window.grab().toImage()
    poor = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or not widget.isEnabled():
            continue
        for painted_on, rect, text in text_rects(widget):
            shown = rect.intersected(painted_on.visibleRegion().boundingRect())
            if shown.width() < 6 or shown.height() < 6:
                continue
            ratio = text_contrast(image, shown.translated(painted_on.mapTo(window, shown.topLeft()) - shown.topLeft()))
            measured.append(text)
            if ratio is not None and ratio < needed(widget):
                poor.append(f"{where}: {type(widget).__name__}#{widget.objectName()} {text[:30]!r} {ratio:.1f}")
    return poor


@pytest.fixture
def dark_system(qapp):
    """The operating system in dark mode, before Wijkkit sets its style."""
    before, scheme = qapp.palette(), qapp.styleHints().colorScheme()
    dark = QPalette()
    for role, colour in DARK.items():
        dark.setColor(role, QColor(colour))
    qapp.styleHints().setColorScheme(qapp.styleHints().colorScheme().Dark)
    qapp.setPalette(dark)
    yield
    qapp.styleHints().setColorScheme(scheme)
    qapp.setPalette(before)


def test_every_page_is_readable_when_the_computer_is_in_dark_mode(dark_system, window):
    """``dark_system`` comes first: the window's fixture starts the app (make_application) after it."""
    window.resize(1024, 768)
    poor, measured, checked = [], [], 0
    for index in range(window.page_count):
        window.show_page(index)
        page = window.current_page()
        poor += poor_contrasts(window, f"page {index}", measured)
        for tabs in page.findChildren(QTabWidget):
            for tab in range(tabs.count()):
                tabs.setCurrentIndex(tab)
                poor += poor_contrasts(window, f"page {index} tab {tabs.tabText(tab)}", measured)
                checked += 1
    assert checked >= 8  # the tabs of Plannen, Mensen and Leiden were looked at
    assert len(measured) > 300 and {"Naam", "Wijken", "Titel"} <= set(measured)  # header, heading, form label
    assert not poor, "\n".join(poor)


def test_the_palette_is_complete_in_every_group(qapp):
    """No role is left for the system to fill: a dark system palette cannot show through."""
    from ui.style import light_palette

    palette = light_palette()
    for group in (QPalette.Active, QPalette.Inactive, QPalette.Disabled):
        for role in (QPalette.Text, QPalette.WindowText, QPalette.ButtonText, QPalette.ToolTipText):
            background = {QPalette.Text: QPalette.Base, QPalette.WindowText: QPalette.Window,
                          QPalette.ButtonText: QPalette.Button, QPalette.ToolTipText: QPalette.ToolTipBase}[role]  # fmt: skip
            ratio = contrast(palette.color(group, role).rgb(), palette.color(group, background).rgb())
            assert ratio >= (3.0 if group == QPalette.Disabled else 4.5), (group, role, ratio)
    assert contrast(palette.color(QPalette.HighlightedText).rgb(), palette.color(QPalette.Highlight).rgb()) >= 4.5
    for group in (QPalette.Active, QPalette.Inactive, QPalette.Disabled):
        unset = [role.name for role in QPalette.ColorRole if role not in (QPalette.NoRole, QPalette.NColorRoles)
                 and not palette.isBrushSet(group, role)]  # fmt: skip
        assert not unset, (group, unset)
