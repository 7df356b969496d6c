"""The app's calm house style: one light palette and one stylesheet, readable at a distance on a laptop.

The look is light whatever the computer's own setting: Windows 11 and macOS in dark mode hand Qt a
palette with light text, and a stylesheet that paints backgrounds white but names only some text
colours then shows light text on white. So ``apply_style`` sets a complete light palette (every
role, in every colour group) beside the stylesheet, and asks the platform for its light scheme
(native controls on macOS, title bars on Windows). Light, not "follow the system": the projector,
the handouts and the screenshots in the guide are all designed light; a dark mode would be a look
of its own, designed and chosen in the settings, not the system's colours mixed into this one.

Keyboard focus stays visible without Qt's dotted rectangle: the sidebar shows it as a light edge on
its right while it has the focus (the selected item already stands out). A status line in error
has the property ``error`` set (ui/pages/sync/common.show_status) and turns red.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QToolTip

ACCENT = "#1f6f5c"
INK = "#1d2b27"  # the text colour of the house style
STYLESHEET = f"""
QMainWindow, QWidget#pageArea {{ background: #f4f5f2; }}
QScrollArea#pageScroll, QScrollArea#pageScroll > QWidget#qt_scrollarea_viewport {{ background: #f4f5f2; border: none; }}
QListWidget#nav {{
    background: #243b35; color: #e8efe9; border: none; font-size: 15px; padding-top: 10px;
    outline: none; border-right: 3px solid #243b35;
}}
QListWidget#nav:focus {{ border-right: 3px solid #8fd3b6; }}
QListWidget#nav::item {{ padding: 11px 18px; border-left: 4px solid transparent; }}
QListWidget#nav::item:selected {{ background: #2f4d45; border-left: 4px solid #8fd3b6; color: white; }}
QListWidget#nav::item:hover {{ background: #2b463f; }}
QLabel#brand {{ background: #243b35; color: white; font-size: 20px; font-weight: 600; padding: 18px 18px 6px 18px; }}
QLabel#h1 {{ font-size: 24px; font-weight: 600; color: #1d2b27; }}
QLabel#h2 {{ font-size: 16px; font-weight: 600; color: {ACCENT}; }}
QLabel#muted {{ color: #55605c; font-size: 13px; }}
QLabel#big {{ font-size: 18px; color: #1d2b27; }}
QFrame#card {{ background: white; border: 1px solid #dde2dc; border-radius: 8px; }}
QTableView {{ background: white; border: 1px solid #dde2dc; gridline-color: #eef0ec; font-size: 13px; }}
QHeaderView::section {{ background: #eef2ee; padding: 6px; border: none; font-weight: 600; }}
QPushButton {{ padding: 6px 14px; }}
QLabel#fieldError, QLabel#formError {{ color: #b3261e; font-size: 12px; }}
QLabel#info[error="true"], QLabel#muted[error="true"], QLabel[error="true"] {{ color: #b3261e; font-weight: 600; }}
QLabel#countdown {{ font-size: 120px; font-weight: 700; color: #1d2b27; }}
QLabel#countdown[level="soon"] {{ color: #b26a00; }}
QLabel#countdown[level="over"] {{ color: #b3261e; }}
QListView#leadSteps {{ background: white; border: 1px solid #dde2dc; font-size: 13px; }}
QListView#captures {{ background: white; border: 1px solid #dde2dc; }}
QLabel#info {{ color: {ACCENT}; font-size: 13px; }}
QLabel#fitOk {{ color: {ACCENT}; font-weight: 600; }}
QLabel#fitWarning, QLabel#warning {{ color: #8a1c14; background: #fdecea; border: 1px solid #f2b8b5;
    border-radius: 6px; padding: 6px 10px; font-weight: 600; }}
QListView#neighbourhoods, QListView#series {{ background: white; border: 1px solid #dde2dc; font-size: 13px; }}
QLabel#fingerprint {{ font-family: "DejaVu Sans Mono", "Consolas", "Menlo", monospace; font-size: 20px;
    font-weight: 600; color: #1d2b27; }}
QTabWidget::pane {{ border: 1px solid #dde2dc; background: white; border-radius: 6px; }}
"""

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


def apply_style(app: QApplication) -> None:
    """The light palette, the light scheme and the stylesheet on ``app``; what is already set is left
    alone (restyling re-polishes every widget)."""
    app.styleHints().setColorScheme(Qt.ColorScheme.Light)
    palette = light_palette()
    if app.palette() != palette:
        app.setPalette(palette)
        QToolTip.setPalette(palette)  # tooltips take the system's tooltip colours otherwise
    if app.styleSheet() != STYLESHEET:
        app.setStyleSheet(STYLESHEET)
