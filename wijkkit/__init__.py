"""Wijkkit's core: everything a neighbourhood dialogue needs, without Qt.

The desktop app in ``ui/`` sits on top of this package; the command line, the
handouts and the sync engine use it directly. Nothing here imports PySide6.
"""

__version__ = "0.1.0"
