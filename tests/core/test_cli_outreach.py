"""``wijkkit invite`` and ``wijkkit feedback``: the same material as the app, for scripts (issue 18)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_outreach import SECRET, make_meeting, parsed
from wijkkit.cli import main
from wijkkit.kit import Kit

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "wijk.sqlite"
    with Kit.open(path) as kit:
        session = make_meeting(kit).session
    return path, session


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("command", ["invite", "feedback"])
def test_email_writes_the_draft_and_records_it(db, tmp_path, capsys, command):
    path, session = db
    out = tmp_path / f"{command}.eml"
    code, said, err = run(capsys, command, "--db", str(path), "--session", session, "--channel", "email",
                          "--out", str(out))  # fmt: skip
    assert code == 0, err
    assert said.startswith(f"wrote {out} (a draft for 4 people in Bcc")
    message = parsed(out)
    assert len(message["Bcc"].addresses) == 4 and message["To"] is None
    types = [p.get_content_type() for p in message.iter_attachments()]
    assert "application/pdf" in types and ("text/calendar" in types) == (command == "invite")
    with Kit.open(path) as kit:
        if command == "invite":
            assert kit.outreach.invitation_prepared(session) is not None
        else:
            assert kit.outreach.feedback_state(session)["email"].prepared_on is not None


@pytest.mark.parametrize("command", ["invite", "feedback"])
@pytest.mark.parametrize("channel", ["message", "newsletter"])
def test_texts_to_a_file_and_to_the_screen(db, tmp_path, capsys, command, channel):
    path, session = db
    with Kit.open(path) as kit:
        expected = kit.outreach.material(session, command).text(channel)
    out = tmp_path / f"{channel}.txt"
    code, said, err = run(capsys, command, "--db", str(path), "--session", session, "--channel", channel,
                          "--out", str(out))  # fmt: skip
    assert (code, said, err) == (0, f"wrote {out}\n", "")
    assert out.read_text(encoding="utf-8") == expected + "\n"
    code, said, _err = run(capsys, command, "--db", str(path), "--session", session, "--channel", channel,
                           "--out", "-")  # fmt: skip
    assert code == 0 and said == expected + "\n"
    if command == "feedback":
        assert "Henk" not in said and "Oosterhuis" not in said and SECRET[1] not in said
        with Kit.open(path) as kit:
            assert kit.outreach.feedback_state(session)[channel].prepared_on is not None


def test_a_meeting_without_date_or_place_is_noted_in_english(db, capsys):
    path, _session = db
    with Kit.open(path) as kit:
        bare = kit.insert("session", {"title": "Nog te plannen"})
    code, said, err = run(capsys, "invite", "--db", str(path), "--session", bare, "--channel", "message", "--out", "-")
    assert code == 0 and said
    assert err == "note: the meeting has no date and no place yet; the texts say so\n"


def bad(capsys, *args) -> str:
    code, said, err = run(capsys, *args)
    assert code == 2 and said == "", err
    assert err.startswith("error: ") and "Traceback" not in err
    return err


def test_bad_input_is_a_sentence(db, tmp_path, capsys):
    path, session = db
    common = ["--channel", "email", "--out", str(tmp_path / "x.eml")]
    assert "There is no database at" in bad(capsys, "invite", "--db", str(tmp_path / "none.sqlite"), "--session",
                                            session, *common)  # fmt: skip
    assert "not a meeting id" in bad(capsys, "invite", "--db", str(path), "--session", "zomaar", *common)
    unknown = "01a23bf1-9e0e-7001-8be3-1fb6c80bc663"
    assert f"There is no meeting {unknown}" in bad(capsys, "feedback", "--db", str(path), "--session", unknown, *common)
    assert "could not be written" in bad(capsys, "invite", "--db", str(path), "--session", session, "--channel",
                                         "message", "--out", str(tmp_path / "no" / "dir" / "x.txt"))  # fmt: skip
    assert "--out a file name" in bad(capsys, "invite", "--db", str(path), "--session", session, "--channel",
                                      "email", "--out", "-")  # fmt: skip
    assert not (tmp_path / "x.eml").exists()


def test_nobody_with_contact_consent_writes_nothing(db, tmp_path, capsys):
    path, _session = db
    with Kit.open(path) as kit:
        alone = kit.sessions.add("Alleen", "2026-12-01T19:30", "2026-12-01T21:00")
    out = tmp_path / "alleen.eml"
    err = bad(capsys, "feedback", "--db", str(path), "--session", alone, "--channel", "email", "--out", str(out))
    assert "Nobody who attended this meeting agreed to be contacted" in err
    assert not out.exists()


def test_an_unknown_channel_is_refused_by_the_parser(db, tmp_path, capsys):
    path, session = db
    with pytest.raises(SystemExit) as exited:
        main(["invite", "--db", str(path), "--session", session, "--channel", "fax", "--out", "-"])
    assert exited.value.code == 2
    assert "invalid choice: 'fax'" in capsys.readouterr().err


def test_the_command_line_knows_every_text_channel():
    from wijkkit.cli_outreach import CHANNELS
    from wijkkit.outreach import TEXT_CHANNELS

    assert CHANNELS == TEXT_CHANNELS


def test_python_dash_m_wijkkit_feedback(db):
    path, session = db
    done = subprocess.run([sys.executable, "-m", "wijkkit", "feedback", "--db", str(path), "--session", session,
                           "--channel", "message", "--out", "-"], cwd=ROOT, capture_output=True, encoding="utf-8",
                          timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Samen zorgen in Ellerveen" in done.stdout and "Henk" not in done.stdout
