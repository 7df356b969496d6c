"""The projector is a public screen: no name of a person without "Delen" on it (issue 13 point 2).

The step's title, its question, what comes next and tonight's agreements pass wijkkit.redact;
a name of a person who shares stays, and a person registered during the evening is hidden at once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from wijkkit.kit import Kit

from ui.pages.lead.view import LeadView

EVENING = datetime(2026, 12, 15, 18, 30, tzinfo=UTC)


def shown_texts(view: LeadView) -> str:
    shown = view.projector_view()
    return " | ".join([shown.step_line, shown.title, shown.question, shown.next_line, *(shown.agreements or ())])


def test_the_projector_never_shows_a_name_that_was_not_shared(tmp_path):
    with Kit.open(tmp_path / "laptop.sqlite") as kit:
        kit.people.add("Henk Oosterhuis", consent_share=0)
        kit.people.add("Fatma Yılmaz", consent_share=1)
        meeting = kit.sessions.add("Avond met Oosterhuis", "2026-12-15T19:30", "2026-12-15T22:00")
        kit.insert("step", {"session_id": meeting, "position": 0, "title": "Welkom door henk oosterhuis",
                            "minutes": 10, "prompts": "Wat wil Henk Oosterhuis vragen?\nEn Fatma Yılmaz?"})
        kit.insert("step", {"session_id": meeting, "position": 1, "title": "Oosterhuis en Fatma Yılmaz", "minutes": 10})
        kit.agreements.add("Henk Oosterhuis rijdt Fatma Yılmaz", meeting)
        view = LeadView(kit)
        view.load(meeting, EVENING)
        texts = shown_texts(view)
        assert "oosterhuis" not in texts.lower() and "(naam niet gedeeld)" in texts
        assert "Fatma Yılmaz" in texts, texts

        kit.people.add("Anneke Visser", consent_share=0)  # registered during the evening
        kit.update("step", kit.sessions.steps(meeting)[0].id, {"title": "Welkom door Anneke Visser"})
        view.load(meeting, EVENING)
        assert "Visser" not in shown_texts(view)

        kit.live.press(meeting, "start", EVENING)
        kit.live.press(meeting, "end", EVENING + timedelta(minutes=5))
        view.load(meeting, EVENING + timedelta(minutes=6))
        shown = view.projector_view()
        assert shown.agreements == ("(naam niet gedeeld) rijdt Fatma Yılmaz",)
        assert "Oosterhuis" not in shown.step_line
