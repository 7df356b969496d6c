"""Wijkkit's desktop app: the PySide6 layer on top of the ``wijkkit`` core.

PySide6 can create its Python types lazily, when first used, instead of all at
import. Asking for that (before PySide6 is first imported) roughly halves the
time to the first window; it changes nothing else. A value set by the user wins.
"""

import os

os.environ.setdefault("PYSIDE6_OPTION_LAZY", "1")
