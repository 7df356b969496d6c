"""A page for an area of the app whose tools are still being built.

It says plainly what the area is for and what to use meanwhile, so nobody
wonders whether something is broken.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from wijkkit.i18n import _

from ..widgets import Card, Page, muted


class AreaPage(Page):
    def __init__(self, title: str, intro: str, meanwhile: str, parent: QWidget | None = None) -> None:
        super().__init__(title, intro, parent)
        card = Card(_("Not available in this version yet"))
        card.body.addWidget(muted(meanwhile))
        self.layout_.addWidget(card)
        self.layout_.addStretch(1)


def sync_page() -> AreaPage:
    return AreaPage(
        _("Synchronise"),
        _("Send your results to the municipality as a signed, encrypted file, and receive updates back."),
        _("Meanwhile, a JSON export (wijkkit export) can be handed over on a USB stick."),
    )
