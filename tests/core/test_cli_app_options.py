"""The app's own options are parsed without the subcommands' parsers (issue 19: a tenth of the start),
and give exactly what the whole parser gives; anything else goes through the whole parser, errors too."""

from __future__ import annotations

import pytest

from wijkkit import cli

APP_STARTS = [
    [],
    ["--data-dir", "/tmp/x"],
    ["--data-dir=/tmp/x", "--lang", "en"],
    ["--lang=nl", "--demo", "--passphrase"],
    ["--smoke-test", "--lang", "nl"],
    ["--demo", "--demo", "--data-dir", "-"],
    ["--data-dir=", "--lang", "nl", "--lang", "en"],
    ["--data-dir=-x", "--data-dir", "-1"],
]


@pytest.mark.parametrize("argv", APP_STARTS, ids=lambda argv: " ".join(argv) or "none")
def test_an_app_start_parses_as_the_whole_parser_does(argv):
    assert cli._parse(argv) == cli._parser().parse_args(argv)
    assert cli._parse(argv).command is None


@pytest.mark.parametrize("argv", [["--lang", "de"], ["--data-dir"], ["--lang"], ["--nonsense"], ["demo"],
                                  ["--data-dir", "x", "nosuch"], ["--help"], ["--demo=x"],
                                  ["--data-dir", "--demo"], ["--lang="], ["--version"]])  # fmt: skip
def test_anything_else_is_answered_by_the_whole_parser(argv, capsys):
    with pytest.raises(SystemExit) as whole:
        cli._parser().parse_args(argv)
    expected = capsys.readouterr()
    with pytest.raises(SystemExit) as ours:
        cli._parse(argv)
    assert (ours.value.code, capsys.readouterr()) == (whole.value.code, expected)


def test_an_abbreviation_or_a_subcommand_still_works():
    assert cli._parse(["--dat", "x"]).data_dir == "x"
    args = cli._parse(["--lang", "en", "demo", "--db", "x.sqlite"])
    assert (args.command, args.db, args.lang) == ("demo", "x.sqlite", "en")
