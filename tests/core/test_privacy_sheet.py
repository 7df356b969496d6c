"""The residents' privacy sheet: one A4 that says how long data is kept (the period that applies
here) and whom to ask (the privacy contact from the settings); alone, in the pack, and from the
command line."""

from __future__ import annotations

from datetime import date

import pytest

from tests.core.pdf_text import page_texts, reader, text_of, toc, words
from wijkkit import branding, i18n, retention
from wijkkit.cli import main
from wijkkit.errors import ValidationError
from wijkkit.handouts import NEEDS_SESSION, pdf_bytes
from wijkkit.handouts.render import title
from wijkkit.kit import Kit

TODAY = date(2026, 11, 29)
CONTACT = "privacy@welzijnveldhorst.nl · 0570 123 456 · Postbus 12, 7400 AA Deventer"


@pytest.fixture
def english():
    i18n.set_language("en")


def held(kit: Kit) -> str:
    return next(s.id for s in kit.sessions.list() if s.status == "held")


@pytest.mark.usefixtures("english")
def test_the_sheet_says_the_period_and_the_contact_on_one_a4(demo_kit):
    branding.save(demo_kit, "Welzijn Veldhorst", None, CONTACT)
    retention.set_retention_months(demo_kit, 36)
    data = pdf_bytes("privacy", demo_kit, None, TODAY)
    assert "privacy" not in NEEDS_SESSION
    assert len(reader(data).pages) == 1
    text = words(text_of(data))
    assert "We keep your data for 36 months after the last meeting you came to" in text
    assert CONTACT in text and "Welzijn Veldhorst" in text
    assert "'Share'" in text and "Autoriteit Persoonsgegevens" in text
    assert reader(data).metadata.title == title("privacy")


@pytest.mark.usefixtures("english")
def test_the_municipalitys_period_is_the_one_printed(demo_kit):
    retention.set_retention_months(demo_kit, 12)
    retention.receive(demo_kit, {"months": 60, "set_at": 1})
    assert "for 60 months" in words(text_of(pdf_bytes("privacy", demo_kit, None, TODAY)))


@pytest.mark.usefixtures("english")
def test_without_a_contact_the_sheet_sends_people_to_the_facilitator(kit):
    text = words(text_of(pdf_bytes("privacy", kit, None, TODAY)))
    assert "The organisation of this meeting, through the facilitator of this meeting." in text
    assert "for 24 months" in text


def test_the_sheet_is_in_the_session_pack(demo_kit):
    branding.save(demo_kit, "Welzijn Veldhorst", None, CONTACT)
    pack = pdf_bytes("pack", demo_kit, held(demo_kit), TODAY)
    entries = dict(toc(reader(pack).pages[0]))
    assert title("privacy") in entries
    page = page_texts(pack)[entries[title("privacy")] - 1]
    assert CONTACT in words(page)


def test_the_command_line_prints_the_sheet_alone(demo_file, tmp_path, capsys):
    import shutil

    path, out = tmp_path / "demo.sqlite", tmp_path / "privacy.pdf"
    shutil.copy(demo_file, path)
    assert main(["handout", "privacy", "--db", str(path), "--out", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    assert len(reader(out.read_bytes()).pages) == 1


def test_the_privacy_contact_is_kept_whitespace_folded_and_bounded(kit):
    branding.save(kit, "Welzijn", None, "  privacy@welzijn.nl \n 0570 1 ")
    assert branding.Branding.of(kit).privacy_contact == "privacy@welzijn.nl 0570 1"
    branding.save(kit, "Welzijn", None)  # not given: left as it is
    assert branding.Branding.of(kit).privacy_contact == "privacy@welzijn.nl 0570 1"
    with pytest.raises(ValidationError) as caught:
        branding.save(kit, "Welzijn", None, "x" * 301)
    assert caught.value.field == "privacy_contact"
    assert branding.Branding.of(kit).privacy_contact == "privacy@welzijn.nl 0570 1"
