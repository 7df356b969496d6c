"""Regression: a quick-captured obstacle, offer or need printed the catalogue's header as its category.

Quick capture stored these without a category (''), and ``gettext('')`` returns the
catalogue's metadata ("Project-Id-Version: wijkkit ..."), which then appeared in the
Obstacles tab and on the printed feedback handout and session pack. Now a capture
gets the core's usual 'other', and an empty value is never looked up.
"""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from pypdf import PdfReader

from wijkkit import i18n, templates
from wijkkit.handouts import pdf_bytes

EVENING = datetime(2027, 1, 12, 19, 40).astimezone()


@pytest.mark.parametrize("kind", ["obstacle", "offer", "need"])
def test_a_captured_item_without_a_category_is_other(kit, kind):
    session_id = kit.sessions.plan("Avond", "2027-01-12T19:30", "2027-01-12T22:00", templates.builtin(),
                                   now=datetime(2026, 12, 1))  # fmt: skip
    captured = kit.live.capture(session_id, kind, "Geen bus op zaterdag", EVENING)
    assert kit.exchange.item(kind, captured.id).category == "anders"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_empty_message_is_not_translated_into_the_catalogue_header(language):
    i18n.set_language(language)
    assert i18n.gettext("") == "" and i18n._("") == ""
    assert i18n.gettext("other") == ("anders" if language == "nl" else "other")


def test_the_feedback_handout_of_an_older_database_shows_no_catalogue_header(kit):
    session_id = kit.sessions.add("Avond", "2027-01-12T19:30", "2027-01-12T22:00", status="held")
    kit.insert("obstacle", {"session_id": session_id, "text": "Geen bus op zaterdag"})  # as captured before the fix
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes("feedback", kit, session_id))).pages)
    assert "Geen bus op zaterdag" in text
    assert "Project-Id-Version" not in text and "MIME-Version" not in text
