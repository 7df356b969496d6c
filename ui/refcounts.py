"""Keeps None, True and False alive under PySide6 6.12 on Python 3.11.

PySide6 6.12.0 drops one reference to None on nearly every call that returns nothing
(``label.setText``, a Python model's ``data`` returning None, a Python translator) and one
to True on every ``Signal.emit()``. From Python 3.12 these objects are immortal and the
lost references do not matter; on 3.11 their count reaches zero after some hundred
thousand calls (an evening with a ticking clock makes more) and the interpreter aborts
with "deallocating None", losing the evening's unsaved typing. 6.11 does not have the
bug, but the Pdf module exists only for 6.12.

Until PySide6 is fixed, we do on 3.11 what 3.12 does: give these three objects a reference
count so large that no run of the app can bring it to zero (2**60 lost references would
take centuries). Nothing else changes; on 3.12 and later this does nothing.
"""

from __future__ import annotations

import ctypes
import sys

SPARE = 1 << 60  # far below the 2**63 where the count would overflow
_done = False


def keep_alive() -> None:
    """Give None, True and False their spare references, once per process."""
    global _done
    if _done or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every CPython object, a Py_ssize_t
        ctypes.c_ssize_t.from_address(id(singleton)).value += SPARE
    _done = True
