"""Method templates: validation with clear reasons, files that round-trip, own templates, the built-ins."""

from __future__ import annotations

import copy as copying
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkkit import templates
from wijkkit.errors import ImportFormatError, ValidationError
from wijkkit.kit import Kit
from wijkkit.models import GROUP_FORMS


def valid(steps: int = 2) -> dict:
    return {
        "format": "wijkkit-template",
        "version": 1,
        "id": "eigen-1",
        "name": "Korte avond",
        "description": "Om te testen.",
        "steps": [
            {
                "title": f"Stap {n}",
                "purpose": "",
                "minutes": 10,
                "group_form": "plenary",
                "kind": "step",
                "prompts": ["Wat vindt u?"],
            }
            for n in range(1, steps + 1)
        ],
    }


def with_step(n: int, **changes) -> dict:
    data = valid(4)
    data["steps"][n - 1].update(changes)
    return data


def reason(error: ImportFormatError) -> str:
    return str(error.params["reason"])


# -- validation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], "not a Wijkkit method template"),
        ("wijkkit-template", "not a Wijkkit method template"),
        (None, "not a Wijkkit method template"),
        ({**valid(), "format": "wijkkit-agenda"}, "not a Wijkkit method template"),
        ({k: v for k, v in valid().items() if k != "format"}, "not a Wijkkit method template"),
        ({**valid(), "version": 2}, "newer version"),
        ({**valid(), "version": "1"}, ""),  # refused; which words fit best is open
        ({k: v for k, v in valid().items() if k != "version"}, ""),
        ({**valid(), "name": ""}, "no name"),
        ({**valid(), "name": "   "}, "no name"),
        ({**valid(), "name": 7}, "no name"),
        ({k: v for k, v in valid().items() if k != "name"}, "no name"),
        ({**valid(), "steps": []}, "no steps"),
        ({**valid(), "steps": {"title": "Stap 1"}}, "no steps"),
        ({k: v for k, v in valid().items() if k != "steps"}, "no steps"),
        (valid(41), "more than 40 steps"),
    ],
)
def test_parse_refuses_what_is_not_a_template(data, expected):
    with pytest.raises(ImportFormatError) as caught:
        templates.parse(data, "collega.json")
    assert expected in reason(caught.value)
    assert "collega.json" in str(caught.value)


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ({"title": ""}, "step 3 has no title"),
        ({"title": "  "}, "step 3 has no title"),
        ({"title": None}, "step 3 has no title"),
        ({"title": 12}, "step 3 has no title"),
        ({"minutes": 0}, "step 3 needs a whole number of minutes from 1 to 600"),
        ({"minutes": -10}, "step 3 needs a whole number of minutes"),
        ({"minutes": True}, "step 3 needs a whole number of minutes"),
        ({"minutes": 601}, "step 3 needs a whole number of minutes"),
        ({"minutes": "15"}, "step 3 needs a whole number of minutes"),
        ({"minutes": 12.5}, "step 3 needs a whole number of minutes"),
        ({"minutes": None}, "step 3 needs a whole number of minutes"),
        ({"group_form": "circle"}, "step 3 has an unknown form: circle"),
        ({"kind": "lunch"}, "step 3 has an unknown kind: lunch"),
        ({"prompts": "Wat vindt u?"}, "the prompts of step 3 are not a list of texts"),
        ({"prompts": ["Wat vindt u?", 3]}, "the prompts of step 3 are not a list of texts"),
        ({"prompts": [["genest"]]}, "the prompts of step 3 are not a list of texts"),
    ],
)
def test_parse_names_the_step_that_is_wrong(step, expected):
    with pytest.raises(ImportFormatError) as caught:
        templates.parse(with_step(3, **step), "collega.json")
    assert expected in reason(caught.value)
    assert caught.value.params["reason"].params["n"] == 3
    assert "3" in caught.value.localized()


def test_a_step_that_is_not_an_object_has_no_title():
    data = valid(2)
    data["steps"][1] = "Pauze"
    with pytest.raises(ImportFormatError) as caught:
        templates.parse(data)
    assert "step 2 has no title" in reason(caught.value)


@pytest.mark.parametrize("minutes", [1, 600])
def test_the_minute_limits_themselves_are_allowed(minutes):
    assert templates.parse(with_step(1, minutes=minutes)).steps[0].minutes == minutes


def test_forty_steps_are_allowed():
    assert len(templates.parse(valid(40)).steps) == 40


def test_parse_fills_in_defaults_and_tidies_text():
    data = valid(1)
    data["steps"][0] = {
        "title": "  Welkom ",
        "minutes": 5,
        "prompts": [" Hallo ", "", "  "],
        "purpose": 3,
    }
    del data["id"]
    template = templates.parse({**data, "name": " Kort ", "description": None})
    (step,) = template.steps
    assert (template.name, template.description, template.builtin) == ("Kort", "", False)
    assert template.id  # a fresh one
    assert step == templates.TemplateStep("Welkom", "", 5, "plenary", "step", ("Hallo",))


def test_load_of_a_missing_file(tmp_path):
    with pytest.raises(ImportFormatError) as caught:
        templates.load(tmp_path / "weg.json")
    assert "does not exist" in reason(caught.value)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{ dit is geen json",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        "{}".encode("utf-16"),
        b"[" * 100_000,  # deeply nested: json raises RecursionError, not JSONDecodeError
    ],
    ids=["empty", "broken-json", "png", "zip", "utf16", "deeply-nested"],
)
def test_load_of_a_file_that_is_not_json(tmp_path, content):
    path = tmp_path / "sjabloon.json"
    path.write_bytes(content)
    with pytest.raises(ImportFormatError) as caught:
        templates.load(path)
    assert "not valid JSON" in reason(caught.value)


def test_load_of_valid_json_that_is_not_a_template(tmp_path):
    path = tmp_path / "agenda.json"
    path.write_text(json.dumps({"agenda": ["koffie"]}), encoding="utf-8")
    with pytest.raises(ImportFormatError) as caught:
        templates.load(path)
    assert "not a Wijkkit method template" in reason(caught.value)


# -- files -------------------------------------------------------------------------------


def test_write_then_load_gives_the_same_template(tmp_path):
    original = templates.parse(valid(3) | {"name": "Zoë's avond – één"})
    path = templates.write(original, tmp_path / "zoe.json")
    loaded = templates.load(path)
    assert loaded == original
    assert loaded.steps == original.steps
    assert [p.name for p in tmp_path.iterdir()] == ["zoe.json"]
    assert "Zoë's avond – één" in path.read_text(encoding="utf-8")


def test_write_replaces_an_existing_file_whole(tmp_path):
    path = tmp_path / "t.json"
    path.write_text("x" * 100_000, encoding="utf-8")
    templates.write(templates.builtin(), path)
    assert templates.load(path).steps == templates.builtin().steps
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]


texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    str.strip
)
step_data = st.fixed_dictionaries(
    {
        "title": texts,
        "purpose": st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
        "minutes": st.integers(1, 600),
        "group_form": st.sampled_from(list(GROUP_FORMS)),
        "kind": st.sampled_from(templates.STEP_KINDS),
        "prompts": st.lists(texts, max_size=4),
    }
)


@settings(max_examples=40, deadline=None)
@given(texts, st.lists(step_data, min_size=1, max_size=40))
def test_any_valid_template_round_trips_through_a_file(tmp_path_factory, name, steps):
    template = templates.parse(
        {"format": "wijkkit-template", "version": 1, "name": name, "steps": steps}
    )
    path = templates.write(template, tmp_path_factory.mktemp("rt") / "t.json")
    assert templates.load(path) == template
    assert templates.parse(template.to_data()) == template


# -- own templates ----------------------------------------------------------------------


@pytest.fixture
def own(tmp_path) -> Path:
    return templates.user_dir(tmp_path / "data")


def test_saving_a_builtin_makes_an_own_copy(own):
    builtin = templates.builtin()
    saved = templates.save_own(builtin, own)
    assert saved.id != builtin.id and not saved.builtin
    assert (saved.name, saved.steps) == (builtin.name, builtin.steps)
    files = list(own.glob("*.json"))
    assert len(files) == 1 and files[0].name.endswith(f"-{saved.id[-8:]}.json")
    assert templates.load(files[0]) == saved
    assert templates.builtin() == builtin  # the shipped file is untouched


def test_saving_an_own_template_again_overwrites_it(own):
    saved = templates.save_own(templates.copy(templates.builtin(), "Mijn avond"), own)
    shorter = templates.Template(saved.id, saved.name, saved.description, saved.steps[:3])
    assert templates.save_own(shorter, own).id == saved.id
    assert [t.steps for t in templates.available(own)[2:]] == [saved.steps[:3]]


def test_available_lists_the_builtins_first_then_own_ones(own):
    assert [t.id for t in templates.available(None)] == ["zevenstappen", "vervolg"]
    assert [t.id for t in templates.available(own)] == [
        "zevenstappen",
        "vervolg",
    ]  # folder not made yet
    mine = templates.save_own(templates.copy(templates.builtin("vervolg"), "Mijn vervolg"), own)
    (own / "kapot.json").write_text("{ half", encoding="utf-8")
    (own / "leeg.json").write_bytes(b"")
    (own / "vreemd.json").write_text(json.dumps({"format": "iets anders"}), encoding="utf-8")
    (own / "notities.txt").write_text("geen sjabloon", encoding="utf-8")
    found = templates.available(own)
    assert [t.id for t in found] == ["zevenstappen", "vervolg", mine.id]
    assert [t.builtin for t in found] == [True, True, False]
    assert found[2].name == "Mijn vervolg"


def test_available_leaves_out_a_deeply_nested_file(own):
    mine = templates.save_own(templates.copy(templates.builtin(), "Mijn avond"), own)
    (own / "diep.json").write_text("[" * 100_000, encoding="utf-8")
    assert [t.id for t in templates.available(own)] == ["zevenstappen", "vervolg", mine.id]


def test_import_a_colleagues_file_as_a_new_copy(own, tmp_path):
    colleague = templates.parse(valid(3))
    sent = templates.write(colleague, tmp_path / "van-collega.json")
    sent_bytes = sent.read_bytes()
    imported = templates.import_own(sent, own)
    assert imported.id != colleague.id and not imported.builtin
    assert (imported.name, imported.steps) == (colleague.name, colleague.steps)
    assert [t.id for t in templates.available(own)][2:] == [imported.id]
    assert sent.read_bytes() == sent_bytes
    again = templates.import_own(sent, own)
    assert again.id != imported.id
    assert len(templates.available(own)) == 4


def test_import_of_a_bad_file_adds_nothing(own, tmp_path):
    bad = tmp_path / "stuk.json"
    bad.write_text(json.dumps(with_step(2, minutes=0)), encoding="utf-8")
    with pytest.raises(ImportFormatError):
        templates.import_own(bad, own)
    assert len(templates.available(own)) == 2


def test_delete_own_removes_only_that_template(own):
    keep = templates.save_own(templates.copy(templates.builtin(), "Bewaren"), own)
    drop = templates.save_own(templates.copy(templates.builtin(), "Weggooien"), own)
    templates.delete_own(drop, own)
    assert [t.id for t in templates.available(own)] == ["zevenstappen", "vervolg", keep.id]
    assert len(list(own.iterdir())) == 1


@pytest.mark.parametrize(
    ("name", "expected"), [("Mijn avond", "Mijn avond"), ("  Kort  ", "Kort"), ("  ", None)]
)
def test_copy_gets_a_new_id_and_name(name, expected):
    builtin = templates.builtin()
    made = templates.copy(builtin, name)
    assert made.id != builtin.id and not made.builtin
    assert made.name == (expected or builtin.name)
    assert made.steps == builtin.steps


# -- from a meeting and back ----------------------------------------------------------------


def test_from_steps_of_the_held_demo_meeting_reproduces_its_agenda(demo_kit):
    held, _planned = demo_kit.sessions.list()
    made = templates.from_steps("Zoals in Ellerveen", demo_kit.sessions.steps(held.id))
    assert made.steps == templates.builtin("zevenstappen").steps
    assert (made.name, made.builtin, made.minutes) == ("Zoals in Ellerveen", False, 140)


def test_from_steps_follows_edits_to_the_agenda(kit):
    session_id = kit.sessions.add("Avond", "2026-12-15T19:30", "2026-12-15T22:00")
    templates.apply(kit, session_id, templates.builtin())
    steps = kit.sessions.steps(session_id)
    kit.sessions.move_step(steps[3].id, 0)
    kit.sessions.edit_step(steps[0].id, minutes=20, prompts="Eén vraag\n\nNog een")
    made = templates.from_steps("Aangepast", kit.sessions.steps(session_id))
    assert [s.title for s in made.steps][:2] == ["Pauze", "Welkom en bedoeling"]
    assert made.steps[1].minutes == 20 and made.steps[1].prompts == ("Eén vraag", "Nog een")


@pytest.mark.parametrize("minutes", [45, 600, 601, 100_000])
def test_every_agenda_the_planner_accepts_can_be_saved_as_a_template(kit, own, minutes):
    session_id = kit.sessions.add("Lange avond", "2026-12-15T09:00", "2026-12-15T22:00")
    kit.sessions.add_step(session_id, "Welkom", 15)
    try:
        kit.sessions.add_step(session_id, "Werkdag", minutes, group_form="tables")
    except ValidationError as refused:  # a planner limit is fine too, as long as it is the same
        assert refused.field == "minutes"
        assert minutes > templates.MAX_MINUTES
        return
    saved = templates.save_own(
        templates.from_steps("Lange dag", kit.sessions.steps(session_id)), own
    )
    assert [t.id for t in templates.available(own)][2:] == [saved.id]


def test_apply_appends_and_records_the_method(kit):
    session_id = kit.sessions.add("Avond", "2026-12-15T19:30", "2026-12-15T22:00")
    kit.sessions.add_step(session_id, "Inloop", 10)
    short = templates.parse(valid(2))
    templates.apply(kit, session_id, short)
    steps = kit.sessions.steps(session_id)
    assert [s.title for s in steps] == ["Inloop", "Stap 1", "Stap 2"]
    assert [s.position for s in steps] == [0, 1, 2]
    assert steps[1].prompt_list == ["Wat vindt u?"]
    assert kit.sessions.get(session_id).method == "Korte avond"


# -- the built-in templates ------------------------------------------------------------------


def test_the_seven_step_dialogue():
    seven = templates.builtin("zevenstappen")
    assert seven.builtin and seven.id == "zevenstappen"
    assert seven.minutes == 140
    assert len(seven.steps) == 8
    assert [s.kind for s in seven.steps].count("break") == 1
    for step in seven.steps:
        assert step.purpose
        if step.kind == "step":
            assert 2 <= len(step.prompts) <= 3, step.title
        else:
            assert step.prompts == ()
    assert templates.builtin() == seven


def test_the_follow_up_starts_by_reviewing_the_agreements():
    repeat = templates.builtin("vervolg")
    assert repeat.builtin and repeat.id == "vervolg"
    assert any("Afspraken" in s.title for s in repeat.steps[:2])
    assert [s.kind for s in repeat.steps].count("break") == 1
    assert all(s.prompts for s in repeat.steps if s.kind == "step")
    assert repeat.minutes <= 150


@pytest.mark.parametrize("template_id", templates.BUILTIN)
def test_builtin_files_are_tidy(template_id):
    from wijkkit.assets import resource

    data = json.loads(resource("templates", f"{template_id}.json").read_text(encoding="utf-8"))
    assert data["id"] == template_id
    assert templates.parse(copying.deepcopy(data)).to_data() == {**data, "steps": [
        {"purpose": "", "group_form": "plenary", "kind": "step", "prompts": [], **s} for s in data["steps"]
    ]}  # fmt: skip


def test_a_template_made_into_a_meeting_agenda_is_the_same_in_a_kit_file(tmp_path):
    with Kit.open(tmp_path / "w.sqlite") as kit:
        session_id = kit.sessions.add("Avond", "2026-12-15T19:30", "2026-12-15T22:00")
        templates.apply(kit, session_id, templates.builtin("vervolg"))
    with Kit.open(tmp_path / "w.sqlite") as kit:
        made = templates.from_steps("x", kit.sessions.steps(session_id))
    assert made.steps == templates.builtin("vervolg").steps
