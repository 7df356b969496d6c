"""Mensen en afspraken: registration, people, offers and needs, obstacles, agreements, follow-up.

One tab per job; each tab is its own module and refreshes itself when the Kit
reports a change to the tables it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QTabWidget

from wijkkit.i18n import _
from wijkkit.kit import Kit

from ...bridge import KitBridge
from ...widgets import Page


class PeoplePage(Page):
    def __init__(self, kit: Kit, bridge: KitBridge, clock: Callable[[], datetime] = datetime.now) -> None:
        super().__init__(_("People and agreements"))
        from .agreements_tab import AgreementsTab
        from .exchange_tab import ExchangeTab
        from .followup_tab import FollowUpTab
        from .obstacles_tab import ObstaclesTab
        from .people_tab import PeopleTab
        from .registration_tab import RegistrationTab

        self.tabs = QTabWidget(objectName="peopleTabs")
        self.registration = RegistrationTab(kit, bridge, clock)
        self.people = PeopleTab(kit, bridge, clock)
        self.exchange = ExchangeTab(kit, bridge, clock)
        self.obstacles = ObstaclesTab(kit, bridge, clock)
        self.agreements = AgreementsTab(kit, bridge, clock)
        self.followup = FollowUpTab(kit, bridge, clock)
        for tab, title in ((self.registration, _("Sign-in")), (self.people, _("People")),
                           (self.exchange, _("Offers and needs")), (self.obstacles, _("Obstacles")),
                           (self.agreements, _("Agreements")), (self.followup, _("Follow-up"))):  # fmt: skip
            self.tabs.addTab(tab, title)
        self.layout_.addWidget(self.tabs, 1)
