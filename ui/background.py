"""Long work off the UI thread: run a function in Qt's thread pool, report back by signal.

The function runs in a worker thread and must not touch widgets (or the UI's
Kit: SQLite connections belong to one thread, so workers open their own). Its
result or exception comes back on the UI thread through a queued signal. A
progress dialog appears when the work takes longer than a moment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

_running: set[Job] = set()  # keeps jobs (and their signal objects) alive until they report


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class Job(QRunnable):
    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = _Signals()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.work()
        except BaseException as error:  # noqa: BLE001 - reported to the UI thread
            self.signals.failed.emit(error)
        else:
            self.signals.done.emit(result)


def wait(timeout_ms: int = 30_000) -> bool:
    """Let running jobs finish (before the window or its database closes)."""
    from PySide6.QtWidgets import QApplication

    done = QThreadPool.globalInstance().waitForDone(timeout_ms)
    QApplication.processEvents()  # deliver their results
    return done


def run(parent: QWidget, work: Callable[[], Any], on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None], label: str) -> Job:  # fmt: skip
    """Start ``work`` in the background; ``on_done``/``on_error`` are called on the UI thread."""
    job = Job(work)
    progress = QProgressDialog(label, None, 0, 0, parent)
    progress.setWindowModality(Qt.WindowModal)
    progress.setMinimumDuration(400)  # only shown when it takes a noticeable time

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        progress.reset()
        progress.deleteLater()
        _running.discard(job)
        callback(value)

    job.signals.done.connect(lambda result: finish(on_done, result), Qt.QueuedConnection)
    job.signals.failed.connect(lambda error: finish(on_error, error), Qt.QueuedConnection)
    _running.add(job)
    QThreadPool.globalInstance().start(job)
    return job
