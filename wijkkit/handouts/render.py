"""Which handouts exist, and writing one to a file without ever leaving half a PDF.

The two reports that are shared digitally (``HTML_KINDS``: feedback and progress) are made
as accessible HTML too (html_report.py), in the same call on the same Kit as their PDF (the
app's preview has both from one worker), and ``render`` writes that file beside the PDF, with
the same name (``html_beside``). ``pdf_bytes`` leaves it out.
"""

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
HTML_KINDS = frozenset({"feedback", "progress"})  # shared digitally: also as accessible HTML


def title(kind: str) -> str:
    return gettext(KINDS[kind])


@dataclass(frozen=True)
class Handout:
    """A handout made: its PDF, what in it no font on this computer could print (``fallback.Gaps``),
    and for the reports in ``HTML_KINDS`` the same document as accessible HTML."""

    data: bytes
    gaps: Gaps
    path: Path | None = None  # where ``render`` wrote it
    html: str | None = None
    html_path: Path | None = None  # where ``render`` wrote the HTML

    def write_html(self, pdf_path: str | Path) -> Path | None:
        """The HTML beside the PDF at ``pdf_path`` (same name, .html); None for a handout without one."""
        if self.html is None:
            return None
        return write_atomically(html_beside(Path(pdf_path)), self.html.encode("utf-8"))

    def warning(self, english: bool = False) -> str:
        """A sentence naming the texts that print as boxes, or "" when everything printed."""
        return self.gaps.describe(english=english) if self.gaps else ""


def html_beside(pdf_path: Path) -> Path:
    """Where the HTML of a report goes: beside the PDF, its name with .html ('x.html.html' for a PDF
    that was itself named .html, so one never replaces the other)."""
    if pdf_path.suffix.lower() == ".html":
        return pdf_path.with_name(pdf_path.name + ".html")
    return pdf_path.with_suffix(".html")


def pdf_bytes(kind: str, kit: Kit, session_id: str | None = None, today: date | None = None) -> bytes:
    """One handout as PDF bytes (the preview uses these without touching the disk)."""
    return make(kind, kit, session_id, today, with_html=False).data


def make(kind: str, kit: Kit, session_id: str | None = None, today: date | None = None,
         with_html: bool = True) -> Handout:  # fmt: skip
    """One handout, with what could not be printed in it (the app and the command line say so), and
    for a report in ``HTML_KINDS`` its HTML (unless ``with_html`` is false)."""
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
    html = None
    if with_html and kind in HTML_KINDS:
        from wijkkit.handouts.html_report import REPORTS

        html = REPORTS[kind](context)
    return Handout(data, gaps, html=html)


def render(kind: str, kit: Kit, out: str | Path, session_id: str | None = None, today: date | None = None) -> Handout:
    """Write a handout to ``out``: to a temporary name first, then renamed when complete; a report
    in ``HTML_KINDS`` also as HTML beside it (``html_beside``)."""
    handout = make(kind, kit, session_id, today)
    out = target = Path(out)
    try:
        written = write_atomically(out, handout.data)
        target = html_beside(out)
        return replace(handout, path=written, html_path=handout.write_html(out))
    except OSError as error:
        raise KitError(N_("The file {path} could not be written: {reason}"), path=str(target),
                       reason=error.strerror or str(error)) from error  # fmt: skip
