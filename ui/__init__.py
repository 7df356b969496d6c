"""Wijkkit's desktop app: the PySide6 layer on top of the ``wijkkit`` core.

PySide6 can create its Python types lazily, when first used, instead of all at
import. Asking for that (before PySide6 is first imported) roughly halves the
time to the first window; it changes nothing else. A value set by the user wins.

Before any Qt call, ``refcounts.keep_alive`` shields None, True and False from a
reference-counting bug of PySide6 6.12 on Python 3.11 (see that module).
"""

import os

from .refcounts import keep_alive

os.environ.setdefault("PYSIDE6_OPTION_LAZY", "1")
keep_alive()
