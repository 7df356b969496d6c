"""The app's calm house style: one light palette and one stylesheet, readable at a distance on a laptop.

The look is light whatever the computer's own setting: Windows 11 and macOS in dark mode hand Qt a
palette with light text, and a stylesheet that paints backgrounds white but names only some text
colours then shows light text on white. So ``apply_style`` sets a complete light palette (every
role, in every colour group) beside the stylesheet, and asks the platform for its light scheme
(native controls on macOS, title bars on Windows). Light, not "follow the system": the projector,
the handouts and the screenshots in the guide are all designed light; a dark mode would be a look
of its own, designed and chosen in the settings, not the system's colours mixed into this one.

Keyboard focus is a 2 px ring over whatever control has it (ui/focus_ring.py), at least 3:1 against
the field border, the page and the field; inside a list or table the current item has a 2 px ring
of its own (ui/field_borders.py); the sidebar also shows a light edge on its right. Field
borders are 3:1 against white and the page, placeholder text 5.1:1 (WCAG 1.4.3, 1.4.11); the
colour pairs are checked by tests/ui/test_style_contrast.py. A status line in error has the
property ``error`` set (ui/pages/sync/common.show_status) and turns red.

Sizes follow the system font: the style sheet is built from the application's font when it is
applied (and again when that font changes), every size a factor of it, so a larger system font
makes headings larger too; at Qt's default font (9 pt at 96 dpi) the pixel sizes are the ones the
pages were laid out at. Pages sit in scroll areas (ui/page_frame.py) for when they outgrow the window.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QToolTip

from .enum_names import set_by_name

if TYPE_CHECKING:
    from PySide6.QtGui import QFont

ACCENT = "#1f6f5c"
INK = "#1d2b27"  # the text colour of the house style
PAGE = "#f4f5f2"  # the background of the pages
FIELD_BORDER = "#767d79"  # 4.2:1 against white, 3.9:1 against the page (non-text contrast, WCAG 1.4.11)
BASE_PIXELS = 12.0  # the default font the sizes below were drawn at: 9 pt at 96 dpi (Qt's default, Segoe UI's)
# <N> is a size in pixels at the default font; stylesheet() scales it to the application's font.
# The sidebar is at least 230 px (227 + its 3 px edge) and wider where its titles need it
# (ui/main_window.py sizes it to its contents).
_STYLESHEET = f"""
QMainWindow, QWidget#pageArea {{ background: {PAGE}; }}
QScrollArea#pageScroll, QScrollArea#pageScroll > QWidget#qt_scrollarea_viewport {{ background: {PAGE}; border: none; }}
QListWidget#nav {{
    background: #243b35; color: #e8efe9; border: none; font-size: <15>; padding-top: 10px;
    outline: none; border-right: 3px solid #243b35; min-width: 227px;
}}
QListWidget#nav:focus {{ border-right: 3px solid #8fd3b6; }}
QListWidget#nav::item {{ padding: 11px 18px; border-left: 4px solid transparent; }}
QListWidget#nav::item:selected {{ background: #2f4d45; border-left: 4px solid #8fd3b6; color: white; }}
QListWidget#nav::item:hover {{ background: #2b463f; }}
QLabel#brand {{ background: #243b35; color: white; font-size: <20>; font-weight: 600; padding: 18px 18px 6px 18px; }}
QLabel#h1 {{ font-size: <24>; font-weight: 600; color: {INK}; }}
QLabel#h2 {{ font-size: <16>; font-weight: 600; color: {ACCENT}; }}
QLabel#muted {{ color: #55605c; font-size: <13>; }}
QLabel#big {{ font-size: <18>; color: {INK}; }}
QFrame#card {{ background: white; border: 1px solid #dde2dc; border-radius: 8px; }}
QTableView {{ background: white; border: 1px solid #dde2dc; gridline-color: #eef0ec; font-size: <13>; }}
QHeaderView::section {{ background: #eef2ee; padding: 6px; border: none; font-weight: 600; }}
QPushButton {{ padding: 6px 14px; }}
QPushButton:checked {{ background: {ACCENT}; color: white; border: 1px solid {INK}; border-radius: 3px;
                      font-weight: 600; }}
QLabel#fieldError, QLabel#formError {{ color: #b3261e; font-size: <12>; }}
QLabel#info[error="true"], QLabel#muted[error="true"], QLabel[error="true"] {{ color: #b3261e; font-weight: 600; }}
QLabel#countdown {{ font-size: <120>; font-weight: 700; color: {INK}; }}
QLabel#countdown[level="soon"] {{ color: #b26a00; }}
QLabel#countdown[level="over"] {{ color: #b3261e; }}
QListView#leadSteps {{ background: white; border: 1px solid #dde2dc; font-size: <13>; }}
QListView#captures {{ background: white; border: 1px solid #dde2dc; }}
QLabel#info {{ color: {ACCENT}; font-size: <13>; }}
QLabel#fitOk {{ color: {ACCENT}; font-weight: 600; }}
QLabel#fitWarning, QLabel#warning {{ color: #8a1c14; background: #fdecea; border: 1px solid #f2b8b5;
    border-radius: 6px; padding: 6px 10px; font-weight: 600; }}
QListView#neighbourhoods, QListView#series {{ background: white; border: 1px solid #dde2dc; font-size: <13>; }}
QLabel#fingerprint {{ font-family: "DejaVu Sans Mono", "Consolas", "Menlo", monospace; font-size: <20>;
    font-weight: 600; color: {INK}; }}
QTabWidget::pane {{ border: 1px solid #dde2dc; background: white; border-radius: 6px; }}
QFrame#rehearsalBanner QLabel {{ font-size: <15>; }}
"""
_SIZE = re.compile(r"<(\d+)>")


def base_pixels(font: QFont | None = None) -> float:
    """The pixel size of ``font`` (the application's font unless given), at the primary screen's dpi."""
    font = font if font is not None else QApplication.font()
    if font.pointSizeF() > 0:
        screen = QGuiApplication.primaryScreen()
        return font.pointSizeF() * (screen.logicalDotsPerInch() if screen is not None else 96.0) / 72
    return float(font.pixelSize())


def scaled(pixels: float, base: float | None = None) -> int:
    """``pixels`` as drawn at the default font, for a default font of ``base`` pixels."""
    return max(1, round(pixels * (base if base is not None else base_pixels()) / BASE_PIXELS))


def stylesheet(base: float = BASE_PIXELS) -> str:
    """The style sheet for an application font of ``base`` pixels: every text size (and the sidebar's
    width) is a factor of it, so headings stay larger than the text under them at any system font."""
    return _SIZE.sub(lambda match: f"{scaled(int(match.group(1)), base)}px", _STYLESHEET)


STYLESHEET = stylesheet()  # at the default font

# role: (active and inactive, disabled); text stays dark on light whatever group it is drawn in
_ROLES = {
    QPalette.Window: ("#f4f5f2", "#f4f5f2"),
    QPalette.WindowText: (INK, "#7d8580"),
    QPalette.Base: ("#ffffff", "#f4f5f2"),
    QPalette.AlternateBase: ("#f4f6f3", "#f4f5f2"),
    QPalette.Text: (INK, "#7d8580"),
    QPalette.PlaceholderText: ("#66706b", "#9aa19c"),
    QPalette.Button: ("#eef0ec", "#eef0ec"),
    QPalette.ButtonText: (INK, "#7d8580"),
    QPalette.BrightText: ("#ffffff", "#ffffff"),
    QPalette.Light: ("#ffffff", "#ffffff"),  # the 3D shades in the proportions of Fusion's own palette
    QPalette.Midlight: ("#cdcfcb", "#dcdedb"),
    QPalette.Mid: ("#bbbdb9", "#cdcfcb"),
    QPalette.Dark: ("#a2a4a1", "#bbbdb9"),
    QPalette.Shadow: ("#787a77", "#a2a4a1"),
    QPalette.Highlight: (ACCENT, "#b9c9c3"),
    QPalette.HighlightedText: ("#ffffff", "#ffffff"),
    QPalette.Accent: (ACCENT, "#b9c9c3"),
    QPalette.Link: (ACCENT, "#7d8580"),
    QPalette.LinkVisited: ("#5b3f8a", "#7d8580"),
    QPalette.ToolTipBase: ("#ffffff", "#ffffff"),
    QPalette.ToolTipText: (INK, INK),
}


def light_palette() -> QPalette:
    """The house palette, complete: a role left unset would be filled from the system's (dark) one."""
    palette = QPalette()
    for role, (normal, disabled) in _ROLES.items():
        for group in (QPalette.Active, QPalette.Inactive):  # a selection stays as visible in a window without focus
            palette.setColor(group, role, QColor(normal))
        palette.setColor(QPalette.Disabled, role, QColor(disabled))
    return palette


def apply_style(app: QApplication, first_frame: bool = False) -> None:
    """The light palette, the light scheme, the focus ring and the stylesheet (sized to the
    application's font) on ``app``; what is already set is left alone (restyling re-polishes every
    widget). A later change of the application's font restyles it to the new size.

    ``first_frame``: only what the app's first frame shows (its start): the scheme, the palette and
    the style sheet. ``finish_style`` adds the rest just after that frame: the darker field borders
    (ui/field_borders.py) and the focus ring; that frame shows no field and nothing has the focus
    yet, so it looks the same without them and need not wait for Qt's style and painter types."""
    set_by_name(app.styleHints(), "colorScheme", "Light")  # Qt.ColorScheme.Light (ui/enum_names.py)
    if not first_frame:
        _field_borders(app)  # before the palette, as Qt's styles may adjust a palette set after them
    palette = light_palette()
    if app.palette() != palette:
        app.setPalette(palette)
        QToolTip.setPalette(palette)  # tooltips take the system's tooltip colours otherwise
    sheet = stylesheet(base_pixels(app.font()))
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)
    if not first_frame:
        _focus_ring(app)
    if _font_watch.get("app") is not app:
        # the application's signal, not an event filter on it: such a filter is called with every event
        # of every object, and each unknown kind of object it is handed (an item view's private model)
        # makes PySide build the Python types and enums of all of Qt, about 170 enums before the first frame
        _font_watch["app"] = app
        app.fontChanged.connect(lambda _font: apply_style(app))


def finish_style(app: QApplication) -> None:
    """What ``apply_style(app, first_frame=True)`` left out; asked again, nothing changes."""
    _field_borders(app)
    _focus_ring(app)


def _field_borders(app: QApplication) -> None:
    from .field_borders import install

    install(app)


def _focus_ring(app: QApplication) -> None:
    from . import focus_ring

    focus_ring.install(app)


_font_watch: dict[str, QApplication] = {}  # the application whose font changes restyle it
