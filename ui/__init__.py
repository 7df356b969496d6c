"""Wijkkit's desktop app: the PySide6 layer on top of the ``wijkkit`` core."""
