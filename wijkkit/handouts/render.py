"""Which handouts exist, and writing one to a file without ever leaving half a PDF."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from wijkkit.atomic import write_atomically
from wijkkit.errors import KitError
from wijkkit.i18n import N_, gettext

if TYPE_CHECKING:
    from wijkkit.handouts.fallback import Gaps
    from wijkkit.kit import Kit

KINDS = {
    "invitation": N_("Invitation letter"),
    "poster": N_("Poster"),
    "programme": N_("Programme for participants"),
    "script": N_("Facilitator script"),
    "cards": N_("Question cards for the tables"),
    "signin": N_("Sign-in sheet"),
    "agreements": N_("Agreements to take home"),
    "feedback": N_("Feedback to the neighbourhood"),
    "progress": N_("Progress report for the municipality"),
    "privacy": N_("Privacy sheet for residents"),
    "recovery": N_("Recovery sheet for the database"),
    "pack": N_("Session pack (all documents)"),
}
NEEDS_SESSION = frozenset(KINDS) - {"progress", "privacy", "recovery"}


def title(kind: str) -> str:
    return gettext(KINDS[kind])


@dataclass(frozen=True)
class Handout:
    """A handout made: its PDF, and what in it no font on this computer could print (``fallback.Gaps``)."""

    data: bytes
    gaps: Gaps
    path: Path | None = None  # where ``render`` wrote it

    def warning(self, english: bool = False) -> str:
        """A sentence naming the texts that print as boxes, or "" when everything printed."""
        return self.gaps.describe(english=english) if self.gaps else ""


def pdf_bytes(kind: str, kit: Kit, session_id: str | None = None, today: date | None = None) -> bytes:
    """One handout as PDF bytes (the preview uses these without touching the disk)."""
    return make(kind, kit, session_id, today).data


def make(kind: str, kit: Kit, session_id: str | None = None, today: date | None = None) -> Handout:
    """One handout, with what could not be printed in it (the app and the command line say so)."""
    from wijkkit.handouts.fallback import collecting
    from wijkkit.handouts.page import Context, build

    if kind not in KINDS:
        raise KitError(N_("Unknown handout: {kind}."), kind=kind)
    if kind in NEEDS_SESSION and not session_id:
        raise KitError(N_("This handout is about one meeting: choose the meeting first."))
    if session_id:
        kit.sessions.get(session_id)  # a clear message when the meeting does not exist
    module = importlib.import_module(f"wijkkit.handouts.{kind}")
    context = Context(kit, session_id, today or date.today())
    with collecting() as gaps:
        data = build(module.story(context), module.document_title(context), context.branding,
                     multi=getattr(module, "MULTI_PASS", False))  # fmt: skip
    return Handout(data, gaps)


def render(kind: str, kit: Kit, out: str | Path, session_id: str | None = None, today: date | None = None) -> Handout:
    """Write a handout to ``out``: to a temporary name first, then renamed when complete."""
    handout = make(kind, kit, session_id, today)
    out = Path(out)
    try:
        return replace(handout, path=write_atomically(out, handout.data))
    except OSError as error:
        raise KitError(N_("The file {path} could not be written: {reason}"), path=str(out),
                       reason=error.strerror or str(error)) from error  # fmt: skip
