"""A long evening does not abort the app: PySide6 6.12 loses references to None and True
(ui/refcounts.py). Half a million calls, more than an evening with a ticking clock makes,
run in a process of their own and end normally."""

from __future__ import annotations

import os
import subprocess
import sys

LONG_EVENING = """
import ui
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication(["wijkkit"])
label = QLabel()


class Ticker(QObject):
    tick = Signal()


ticker = Ticker()
for second in range(250_000):
    label.setText(f"{second // 60:02d}:{second % 60:02d}")
    ticker.tick.emit()
print("evening over")
"""


def test_half_a_million_qt_calls_do_not_abort_the_app():
    done = subprocess.run([sys.executable, "-c", LONG_EVENING], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, encoding="utf-8")  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "evening over"
