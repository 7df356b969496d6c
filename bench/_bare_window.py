"""The yardstick for Wijkkit's budgets: the least a PySide6 app can do.

A QApplication and an empty QMainWindow of the app's default size (1366x768),
shown, then the event loop. bench/startup.py times how long it takes to show
its window; bench/bundle_size.py bundles it with PyInstaller the way build.spec
bundles the app. It must stay this bare, or the budgets lose their meaning.
"""

import sys

from PySide6.QtWidgets import QApplication, QMainWindow


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1366, 768)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
