"""The Dutch catalogue is complete: every user-visible source string has a translation."""

from __future__ import annotations

import gettext

from tools import i18n as catalogue


def test_every_source_string_has_a_dutch_translation_and_the_mo_is_current():
    assert catalogue.problems() == []


def test_the_compiled_catalogue_is_what_the_app_loads():
    translations = gettext.translation("wijkkit", str(catalogue.MO.parents[2]), ["nl"])
    assert translations.gettext("Overview") == "Overzicht"
    assert translations.ngettext("{n} open agreement", "{n} open agreements", 2) == "{n} open afspraken"


def test_a_missing_translation_is_reported(tmp_path, monkeypatch):
    source = tmp_path / "wijkkit"
    source.mkdir()
    (source / "x.py").write_text('from wijkkit.i18n import _\n_("A sentence nobody translated")\n', encoding="utf-8")
    (tmp_path / "ui").mkdir()
    found = catalogue.extract(tmp_path)
    assert "A sentence nobody translated" in found
    monkeypatch.setattr(catalogue, "extract", lambda root=tmp_path: found)
    assert any("A sentence nobody translated" in p for p in catalogue.problems())


def test_placeholders_survive_translation():
    import re

    for msgid, entry in catalogue.read_po().items():
        wanted = set(re.findall(r"\{(\w+)\}", msgid + (entry.plural or "")))
        for text in entry.msgstr:
            assert set(re.findall(r"\{(\w+)\}", text)) <= wanted, msgid
