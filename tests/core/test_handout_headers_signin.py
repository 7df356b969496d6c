"""Handout details from issue 14, 22: a table header word never breaks inside the word ("Einddatu m"),
and the sign-in sheet prints a person's organisation once and ticks the consents they gave."""

from __future__ import annotations

import pytest

from tests.conftest import DEMO_TODAY
from tests.core.pdf_text import page_texts, text_of
from wijkkit import i18n
from wijkkit.handouts import pdf_bytes
from wijkkit.handouts.common import header_fitted
from wijkkit.handouts.signin import TICK, role_and_organisation
from wijkkit.kit import Kit


@pytest.fixture(scope="module")
def meeting_pdfs(demo_file):
    i18n.set_language("nl")
    with Kit.open(demo_file) as kit:
        held = next(s.id for s in kit.sessions.list() if s.status == "held")
        yield {kind: pdf_bytes(kind, kit, held, DEMO_TODAY) for kind in ("agreements", "feedback", "signin")}
    i18n.set_language("nl")


@pytest.mark.parametrize("kind", ["agreements", "feedback"])
def test_the_due_date_header_is_one_word(meeting_pdfs, kind):
    lines = text_of(meeting_pdfs[kind]).splitlines()
    assert "Einddatum" in lines
    assert not any(line.endswith("Einddatu") for line in lines)


def test_a_narrow_column_takes_what_it_lacks_from_the_widest():
    fitted = header_fitted(["Afspraak", "Wie", "Einddatumverlenging"], [100.0, 40.0, 30.0])
    assert sum(fitted) == pytest.approx(170.0) and fitted[2] > 30.0 and fitted[0] < 100.0 and fitted[1] == 40.0


@pytest.mark.parametrize(("role", "organisation", "printed"), [
    ("gemeente", "Gemeente Veldhorst", ["Gemeente Veldhorst"]),
    ("inwoner", "Dorpsbelang Ellerveen", ["Inwoner", "Dorpsbelang Ellerveen"]),
    ("inwoner", "", ["Inwoner"]),
    ("", "Bibliotheek", ["Bibliotheek"]),
    ("", "", []),
])  # fmt: skip
def test_the_organisation_is_printed_once(role, organisation, printed):
    assert role_and_organisation(role, organisation) == printed


def test_the_sign_in_sheet_has_no_doubled_organisation_and_ticks_recorded_consents(meeting_pdfs, demo_file):
    pages = page_texts(meeting_pdfs["signin"])
    sheet = "\n".join(pages)
    assert "Gemeente\nGemeente Veldhorst" not in sheet and "Gemeente Veldhorst" in sheet
    with Kit.open(demo_file) as kit:
        held = next(s.id for s in kit.sessions.list() if s.status == "held")
        attendees = kit.attendance.attendees(held)
        printed = [(a.name, kit.people.get(a.person_id)) for a in attendees if a.consent_share]
        hidden = {a.name for a in attendees if not a.consent_share} - {name for name, _p in printed}
    assert printed and [name for name in hidden if name in sheet] == []
    starts, at = [], 0
    for name, _person in printed:  # in the sheet's (alphabetical) order
        at = sheet.index(name, at)
        starts.append(at)
    starts.append(sheet.index("Wat de vakjes betekenen") if "Wat de vakjes betekenen" in sheet else len(sheet))
    for (name, person), start, end in zip(printed, starts, starts[1:], strict=False):
        given = sum(bool(getattr(person, f"consent_{kind}")) for kind in ("contact", "share", "photos"))
        assert sheet[start:end].count(TICK) == given, (name, sheet[start:end])
    assert sheet.count(TICK) == sum(
        sum(bool(getattr(p, f"consent_{k}")) for k in ("contact", "share", "photos")) for _n, p in printed)
