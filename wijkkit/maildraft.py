"""An e-mail draft as an .eml file (RFC 5322, MIME), for the facilitator's own mail program to send.

Wijkkit never sends mail itself: the laptop is often offline at a meeting, and a message that
leaves from the organisation's own mailbox is one people recognise and can answer. So it writes
the message as a draft that Outlook and Thunderbird open, with the recipients, subject, text and
attachments filled in; the facilitator reads it over and presses Send when the laptop is online.

How the draft is addressed and marked, and why:

- Everyone in **Bcc** only, never To or Cc: residents may not see each other's addresses (AVG).
  There is no To: RFC 5322 allows a message with only Bcc recipients, Outlook sends it so, and
  Thunderbird adds "undisclosed-recipients" itself when it sends.
- No From: Wijkkit does not know the facilitator's address; the mail program puts in the account
  that sends it.
- ``X-Unsent: 1``: Outlook (Windows) then opens the file as a new message with a Send button
  instead of as a received one (Microsoft's MIME-to-MAPI conversion reads this header).
  Thunderbird opens an .eml read-only; "Edit As New Message" (Ctrl+E) makes it a draft that keeps
  the Bcc, subject, text and attachments. Apple Mail: "Send Again".
- A Message-ID on a domain of our own (``wijkkit.invalid``), not the laptop's host name, which
  Python's default would put in the file.
- UTF-8 everywhere: non-ASCII names in Bcc and the subject as RFC 2047 encoded words, attachment
  file names as RFC 2231 parameters (both written by Python's ``email`` package; a long name is
  split in RFC 2231 continuations, ``filename*0*=``, and repeated as the Content-Type's ``name``).

``build`` is pure: it returns bytes, and the caller writes them (through wijkkit.atomic).
"""

from __future__ import annotations

import base64
import email.policy
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

MESSAGE_ID_DOMAIN = "wijkkit.invalid"  # RFC 2606: never a real host, and never the laptop's name
LINE = 78  # RFC 5322: a line of a header should be at most 78 characters
WORD_BYTES = 45  # bytes of text in one encoded word: base64 makes 60, "=?utf-8?b?" and "?=" 12 more


@dataclass(frozen=True)
class Attachment:
    filename: str
    mime_type: str  # "application/pdf"
    data: bytes


def address(name: str, email_address: str) -> Address:
    """A recipient; a name with commas, quotes or accents is quoted and encoded when written.
    ValueError for an address Python's parser cannot take apart (no '@', spaces ...)."""
    local, at, domain = email_address.strip().rpartition("@")
    if not at or not local or not domain:
        raise ValueError(f"not an e-mail address: {email_address!r}")
    display = " ".join((name or "").split())  # no line breaks inside a header
    return Address(display_name=display, username=local, domain=domain)


def address_list(addresses: Sequence[Address]) -> str:
    """An address list folded by hand, one address per line and every line within 78 characters.

    Python 3.11's folder encodes the comma between two addresses when it lands on a line that is
    encoded (CPython gh-100884, CVE-2025-1795): two recipients become one, and one is lost. So each display name that is not short printable ASCII becomes RFC 2047 encoded words of at
    most 72 characters, each on a line of its own, with the address on the next line; the generator
    keeps a header whose lines all fit as it is."""
    lines: list[str] = []
    for n, item in enumerate(addresses):
        comma = "," if n < len(addresses) - 1 else ""
        name, spec = item.display_name, item.addr_spec
        plain = name.isascii() and name.isprintable() and "=?" not in name  # "=?" would read as encoded
        simple = formataddr((name, spec)) if plain else ""
        if not name:
            lines.append(spec + comma)
        elif simple and len(simple) + len(comma) <= LINE - len("Bcc: "):
            lines.append(simple + comma)
        else:
            lines += [*_encoded_words(name), f"<{spec}>{comma}"]
    return "\r\n ".join(lines)


def _encoded_words(text: str) -> list[str]:
    """``text`` as RFC 2047 encoded words (UTF-8, base64), none splitting a character."""
    words, chunk = [], b""
    for ch in text:
        piece = ch.encode("utf-8", "surrogatepass")
        if chunk and len(chunk) + len(piece) > WORD_BYTES:
            words.append(chunk)
            chunk = b""
        chunk += piece
    words.append(chunk)
    return [f"=?utf-8?b?{base64.b64encode(w).decode('ascii')}?=" for w in words]


def build(subject: str, body: str, bcc: Sequence[Address], attachments: Sequence[Attachment] = (),
          when: datetime | None = None, sender: Address | None = None, language: str = "nl") -> bytes:  # fmt: skip
    """The draft as the bytes of an .eml file (CRLF line ends, as RFC 5322 writes them). ``language``: of
    the text, for the reader's spelling checker and screen reader (Content-Language)."""
    message = EmailMessage(policy=email.policy.SMTP)
    if sender is not None:
        message["From"] = sender
    if bcc:
        message.set_raw("Bcc", address_list(bcc))
    message["Subject"] = " ".join(subject.split())
    message["Date"] = format_datetime((when or datetime.now()).astimezone())
    message["Message-ID"] = make_msgid(domain=MESSAGE_ID_DOMAIN)
    message["X-Unsent"] = "1"
    message.set_content(body.replace("\r\n", "\n"), charset="utf-8", cte="quoted-printable")  # 7-bit: any relay
    message["Content-Language"] = language  # after set_content, which clears Content-*; goes with the text part
    for item in attachments:
        maintype, _sep, subtype = item.mime_type.partition("/")
        params = {"charset": "utf-8"} if maintype == "text" else {}
        message.add_attachment(item.data, maintype=maintype, subtype=subtype, filename=item.filename,
                               params={**params, "name": item.filename})  # fmt: skip
    return message.as_bytes()
