"""Driving modal dialogs from a test: answer the dialog from a timer, then check.

``exec()`` blocks until the dialog closes, so the test queues its answer first.
If the answer fails, the dialog is rejected (so the test never hangs) and the
error is raised in the test afterwards.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog


def answer_modal(trigger: Callable[[], object], answer: Callable[[QDialog], None]) -> object:
    problems: list[BaseException] = []
    seen: list[QDialog] = []

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, handle)
            return
        seen.append(dialog)
        try:
            answer(dialog)
        except BaseException as error:  # noqa: BLE001 - re-raised in the test below
            problems.append(error)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, handle)
    result = trigger()
    if problems:
        raise problems[0]
    assert seen, "no modal dialog appeared"
    return result
