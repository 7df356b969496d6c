"""wijkkit.maildraft: an .eml draft that strict parsers read back whole, recipients only in Bcc (issue 18)."""

from __future__ import annotations

import email.policy
from datetime import datetime
from email.parser import BytesParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkkit.maildraft import MESSAGE_ID_DOMAIN, WORD_BYTES, Attachment, address, build


def parsed(data: bytes):
    return BytesParser(policy=email.policy.strict).parsebytes(data)


def test_a_draft_with_bcc_subject_body_and_attachments():
    bcc = [address("Çağla Öztürk", "cagla@example.org"), address("", "jan@example.org")]
    files = [Attachment("Uitnodiging – Café ’t Hoekje.pdf", "application/pdf", b"%PDF-1.7 x"),
             Attachment("bijeenkomst.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")]  # fmt: skip
    data = build("Uitnodiging: wijkdialoog in Öosterhoek", "Beste inwoners,\n\nWelkom… één keer.\n", bcc, files,
                 when=datetime(2026, 12, 3, 10, 0))  # fmt: skip
    message = parsed(data)
    assert not message.defects
    assert [(a.display_name, a.addr_spec) for a in message["Bcc"].addresses] == [
        ("Çağla Öztürk", "cagla@example.org"), ("", "jan@example.org")]  # fmt: skip
    assert message["To"] is None and message["Cc"] is None and message["From"] is None
    assert message["Subject"] == "Uitnodiging: wijkdialoog in Öosterhoek"
    assert message["X-Unsent"] == "1"
    assert message["Message-ID"].endswith(f"@{MESSAGE_ID_DOMAIN}>")
    assert message["Date"].datetime.replace(tzinfo=None) == datetime(2026, 12, 3, 10, 0)
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == "Beste inwoners,\n\nWelkom… één keer.\n"
    parts = list(message.iter_attachments())
    assert [(p.get_content_type(), p.get_filename(), p.get_content()) for p in parts] == [
        ("application/pdf", "Uitnodiging – Café ’t Hoekje.pdf", b"%PDF-1.7 x"),
        ("text/calendar", "bijeenkomst.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")]  # fmt: skip
    assert b"filename*0*=utf-8''Uitnodiging%20%E2%80%93%20Caf%C3%A9" in data  # RFC 2231 for the non-ASCII name
    assert message.get_body(("plain",))["Content-Language"] == "nl"
    assert data.isascii()  # every header and part encoded: no 8-bit bytes for a mail relay to mangle
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")  # CRLF line ends only


def test_the_host_name_is_not_in_the_message_id(monkeypatch):
    import socket

    monkeypatch.setattr(socket, "getfqdn", lambda *a: "laptop-van-ingrid.local")
    assert b"laptop-van-ingrid" not in build("x", "y", [address("", "a@b.nl")])


@pytest.mark.parametrize("bad", ["geen-adres", "@example.org", "jan@", ""])
def test_an_address_that_is_not_one_is_refused(bad):
    with pytest.raises(ValueError):
        address("Jan", bad)


names = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=150, deadline=None)
@given(name=names, other=names)
def test_any_name_in_bcc_comes_back_as_typed(name, other):
    """Commas, quotes, angle brackets, accents, emoji, line breaks: each name is one recipient, read back
    as typed (its whitespace collapsed: a header has no line breaks). A name longer than one encoded word
    is several; RFC 2047 ignores the space between them, Python's parser keeps it, so those are compared
    without spaces."""
    data = build("Onderwerp", "Tekst", [address(name, "een@example.org"), address(other, "twee@example.org")])
    message = parsed(data)
    found = message["Bcc"].addresses
    assert [a.addr_spec for a in found] == ["een@example.org", "twee@example.org"]
    for typed, read in zip((name, other), (a.display_name for a in found), strict=True):
        expected = " ".join(typed.split())
        if len(expected.encode("utf-8", "surrogatepass")) <= WORD_BYTES:
            assert read == expected
        else:
            assert "".join(read.split()) == "".join(expected.split())
    assert data.isascii()


@settings(max_examples=100, deadline=None)
@given(subject=names)
def test_any_subject_comes_back_as_typed(subject):
    assert parsed(build(subject, "Tekst", [address("", "een@example.org")]))["Subject"] == " ".join(subject.split())


def test_a_long_name_does_not_swallow_the_next_recipient():
    """Python 3.11 folds this list wrongly: the comma after the first address lands inside an encoded
    word, so "Piet" is read as part of the first address and gets no e-mail. The list is folded by hand."""
    data = build("Onderwerp", "Tekst", [address("Ömer Maria Yıldırım-van der Heijden", "een@example.org"),
                                         address("Piet", "twee@example.org")])  # fmt: skip
    found = parsed(data)["Bcc"].addresses
    assert [(a.display_name, a.addr_spec) for a in found] == [
        ("Ömer Maria Yıldırım-van der Heijden", "een@example.org"), ("Piet", "twee@example.org")]  # fmt: skip


def test_a_long_list_of_long_names_keeps_every_recipient():
    people = [address(f"Çağla Öztürk-van den Berghe de Vries Ääääääää {n} Ññññññ", f"p{n}@example.org")
              for n in range(40)]  # fmt: skip
    data = build("Onderwerp", "Tekst", people)
    found = parsed(data)["Bcc"].addresses
    assert [a.addr_spec for a in found] == [f"p{n}@example.org" for n in range(40)]
    head = data.split(b"\r\n\r\n", 1)[0]
    assert max(len(line) for line in head.split(b"\r\n")) <= 78
