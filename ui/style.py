"""The app's calm house style: one stylesheet, readable at a distance on a laptop.

Keyboard focus stays visible without Qt's dotted rectangle: the sidebar shows it as a light edge on
its right while it has the focus (the selected item already stands out). A status line in error
has the property ``error`` set (ui/pages/sync/common.show_status) and turns red.
"""

ACCENT = "#1f6f5c"
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
