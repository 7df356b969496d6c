"""Names of people who did not agree to share ("Delen") are replaced in free text that leaves them.

Free text is typed in a hurry: "Piet Jansen: sinds zijn beroerte ...". Without consent to share,
a person's name may not reach the hub, another laptop, a handout for the neighbourhood or the
projector, so whatever shows or sends free text passes it through a ``Redactor`` first. It is one
engine for all of them (sync, preview, feedback handout, projector), so they agree on what a name is.

What counts as a name of a person without "Delen" (case and diacritics ignored, whole words only,
words separated by anything that is not a letter or digit):

- the full name as registered, in any case: "henk oosterhuis", "Henk  Oosterhuis", "HENK OOSTERHUIS";
  of a hyphenated surname also the first name with each part: "Piet Jansen" and "Piet Bakker"
  of "Piet Jansen-Bakker";
- a surname alone, with or without its prefix, only when its main word (the first that is not a
  prefix) starts with a capital in the text: "Bos", "de Wit", "Van der Berg", "Berg zei", but not
  "het bos", "de wit geschilderde muur", "jong en oud". The same for every tail of a longer name
  ("Visser" and "Maria Visser" of "Anna Maria Visser"; "Minh Khai" and "Khai" of "Nguyễn Thị Minh
  Khai", written family name first) and each part of a hyphenated surname ("Jansen", "Bakker");
- the first name alone only when it starts with a capital in the text, has at least three
  letters, and no person who does share has that first name (a hyphenated first name
  "Jan-Willem" only whole, and it is not the first name "Jan"). Lower case "jan", "roos" or "mark"
  are ordinary words; "Jan" when a sharing Jan is registered does not single anyone out, and
  replacing it would hide the person who agreed to be named. A one-word name is a first name. A
  capitalised word at the start of a sentence ("Roos bloeit") is replaced too: too much hidden in
  text that leaves, never too little;
- a possessive of any of these goes with it: "Henks dochter", "Jansens", "Henk's";
- the person's e-mail address (any case) and phone number (digits with any spaces, dashes,
  dots or brackets between them; "06..." also as "+31 6..." and "0031 6...", and a number stored
  as "+31 6..." also as "06...").

A sharing person's full name is never touched, also where it contains a withheld surname
("Marie Jansen" stays when Piet Jansen does not share), and neither is a sharing person's
hyphenated first name ("Bas-Jan" stays when Bas Janssen does not share). Names written differently from the
registered spelling ("Pietje", initials alone) are not found: the preview on the Synchroniseren
page shows what will leave, so the facilitator can still change it.

Organisations ("Thuiszorg Oost") are not replaced in text: they are parties, named on purpose.

Speed: names are looked up in a dict by their first folded word that is not a prefix ("de" and
"van" are in nearly every text), so a text costs one pass to fold it and one set intersection;
plain ASCII text is folded without a character map.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wijkkit.i18n import DEFAULT_LANGUAGE, gettext
from wijkkit.models import NAME_NOT_SHARED
from wijkkit.text import sort_key

if TYPE_CHECKING:
    from wijkkit.kit import Kit

# Dutch (and a few other) surname prefixes: "Jan van der Berg" has the surname core "Berg".
PREFIXES = frozenset("van von de der den het t ter ten te in op onder uit aan bij voor la le du da di del della "
                     "dos das des el al".split())  # fmt: skip
MIN_FIRST_NAME = 3
_WORD = re.compile(r"\w+")
_PHONE_HINT = re.compile(r"\d(?:\D{0,3}\d){5}")  # six digits close together: maybe a phone number
_SEP = r"[\s\-.()/]*"
_POSSESSIVE = r"(?:['\u2019]?s)?"  # "Henks", "Henk's", "Henk’s"
_HYPHEN = re.compile(r"[-\u2010\u2011\u2013]")


@dataclass(frozen=True)
class _Name:
    pattern: str  # a regular expression on folded text, compiled with its key's group when first needed
    capital: bool  # only when the match starts with a capital in the original text
    protect: bool = (
        False  # a sharing person's full name: matches of others inside it are left alone
    )


@functools.cache
def in_data_language(message: str) -> str:
    """``message`` (a msgid) in the municipality's language (Dutch), whatever language this laptop's
    screen speaks: for markers written into the data or into text that leaves the laptop."""
    import gettext as gettext_module

    from wijkkit.i18n import DOMAIN, locale_dir

    return gettext_module.translation(
        DOMAIN, locale_dir(), [DEFAULT_LANGUAGE], fallback=True
    ).gettext(message)


def sent_replacement() -> str:
    """What replaces a name in text that leaves the laptop: always in the municipality's language
    (Dutch), whatever language this laptop's screen speaks, so a text is redacted the same way on
    every run (a change of language does not make every redacted text travel again)."""
    return in_data_language(NAME_NOT_SHARED)


def fold(text: str) -> tuple[str, list[int] | None]:
    """``text`` without case and accents, and for each folded character its index in ``text``
    (None: the same index, for ASCII text, which folds character for character)."""
    if text.isascii():
        return text.lower(), None
    folded, where = [], []
    for n, ch in enumerate(text):
        part = sort_key(ch)
        folded.append(part)
        where.extend([n] * len(part))
    return "".join(folded), where


def _words(name: str | None) -> list[str]:
    return _WORD.findall(sort_key(name or ""))


def _phrase(words: list[str]) -> str:
    body = r"[\W_]+".join(map(re.escape, words))
    return rf"(?<!\w){body}{_POSSESSIVE}(?!\w)"


def _first_name(name: str | None) -> list[str]:
    """The words of the first name: of the first whitespace-separated part with letters."""
    return next((w for w in map(_words, (name or "").split()) if w), [])


def _phone(phone: str) -> str | None:
    """The pattern (not yet compiled) that finds ``phone`` however it is written."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 6:
        return None
    if digits.startswith("0031") or digits.startswith("31") and phone.lstrip().startswith("+"):
        # stored internationally ("+31 6 1234 5678", "0031 (0)6 ..."): typed nationally as well
        digits = "0" + digits.removeprefix("00")[2:].removeprefix("0")
    body = _SEP.join(digits)
    if digits.startswith("0") and not digits.startswith("00"):
        body = rf"(?:{body}|(?:\+|00){_SEP}31{_SEP}(?:\(0\))?{_SEP}{_SEP.join(digits[1:])})"
    return rf"(?<![\d+]){body}(?!\d)"


class Redactor:
    """Replaces the names, e-mail addresses and phone numbers of people without consent to share.

    ``people``: Person records or person rows (dicts) with name, email, phone and consent_share."""

    def __init__(self, people: Iterable[Any], replacement: str | None = None) -> None:
        self.replacement = replacement if replacement is not None else gettext(NAME_NOT_SHARED)
        self.names: dict[str, list[_Name]] = {}
        contacts: list[str] = []
        phones: list[str] = []
        rows = [p if isinstance(p, dict) else vars(p) for p in people]
        shared_first = {  # "Bas-Jan" does not have the first name "Bas"
            first[0]
            for first in (_first_name(p.get("name")) for p in rows if p.get("consent_share"))
            if len(first) == 1
        }
        for person in rows:
            words = _words(person.get("name"))
            if person.get("consent_share"):
                if len(words) > 1:
                    self._add(words, capital=False, protect=True)
                if len(first := _first_name(person.get("name"))) > 1:
                    self._add(first, capital=False, protect=True)  # "Bas-Jan" is not "Bas" + "-Jan"
                continue
            if words:
                self._add_person(person.get("name") or "", shared_first)
            if (email := (person.get("email") or "").strip()) and "@" in email:
                contacts.append(re.escape(email))
            if (phone := _phone(person.get("phone") or "")) is not None:
                phones.append(phone)
        # compiled when a text first needs them: a hub knows thousands of people, a merge's texts
        # name few of them (compiling every pattern up front cost a merge about a second)
        self._contacts, self._phones = contacts, phones
        self.keys = frozenset(self.names)
        self._groups: dict[str, list[tuple[re.Pattern[str], bool, bool]]] = {}
        self.withheld = any(not n.protect for group in self.names.values() for n in group) or bool(
            contacts or phones
        )

    def _add(self, words: list[str], capital: bool, protect: bool = False) -> None:
        """Looked up by the first word that is not a prefix: "de" and "van" are in nearly every text;
        a name that ends in that word also by its possessive ("Henks", "Jansens")."""
        key = next((w for w in words if w not in PREFIXES), words[0])
        name = _Name(_phrase(words), capital, protect)
        self.names.setdefault(key, []).append(name)
        if key == words[-1]:
            self.names.setdefault(key + "s", []).append(name)

    def _add_person(self, name: str, shared_first: set[str]) -> None:
        """The full name in any case (with a hyphenated surname also the first name with each of its
        parts); capitalised only: the surname with and without its prefixes, its last part and each
        part of a hyphenated surname; the first name (see above). The first name may be hyphenated
        ("Jan-Willem")."""
        parts = [t for t in name.split() if _words(t)]
        tokens = [_words(t) for t in parts]
        words = [w for token in tokens for w in token]
        first, rest = tokens[0], [w for token in tokens[1:] for w in token]
        if (
            rest and not set(rest) <= PREFIXES
        ):  # a surname of prefixes alone ("Van") would hide every "van"
            self._add(words, capital=False)
            # every tail of the name: "Minh Khai" of "Nguyễn Thị Minh Khai" (family name first)
            surnames = {tuple(w for token in tokens[i:] for w in token) for i in range(1, len(tokens))}
            pieces = [w for w in map(_words, _HYPHEN.split(" ".join(parts[1:]))) if w]
            for piece in pieces if len(pieces) > 1 else ():  # "Jansen-Bakker", "van Dijk-de Vries"
                if not set(piece) <= PREFIXES:
                    self._add([*first, *piece], capital=False)  # "Piet Jansen", "Piet Bakker"
                    surnames.add(tuple(piece))
            for surname in list(surnames):
                core = surname
                while len(core) > 1 and core[0] in PREFIXES:
                    core = core[1:]
                surnames.add(core)  # "Berg" of "van der Berg"
            for surname in surnames - {(w,) for w in PREFIXES}:
                self._add(list(surname), capital=True)  # "Van der Berg", "Berg zei", "Visser"
        if (
            len(first) == 1
            and len(first[0]) >= MIN_FIRST_NAME
            and first[0] not in shared_first | PREFIXES
        ) or (len(first) > 1 and not rest):  # "Anne-Marie" alone, whole
            self._add(first, capital=True)

    @classmethod
    def for_kit(cls, kit: Kit, replacement: str | None = None) -> Redactor:
        rows = kit.query("SELECT name, email, phone, consent_share FROM person")
        return cls(rows, replacement)

    def __bool__(self) -> bool:
        return self.withheld

    @functools.cached_property
    def emails(self) -> re.Pattern[str] | None:
        if not self._contacts:
            return None
        return re.compile("|".join(sorted(self._contacts, key=len, reverse=True)), re.IGNORECASE)

    @functools.cached_property
    def phones(self) -> re.Pattern[str] | None:
        return re.compile("|".join(self._phones)) if self._phones else None

    def _group(self, key: str) -> list[tuple[re.Pattern[str], bool, bool]]:
        if (found := self._groups.get(key)) is None:
            found = self._groups[key] = _grouped(self.names[key])
        return found

    def touches(self, value: str) -> bool:
        """Whether ``value`` may hold something to replace: a quick test before ``text`` (for sync)."""
        if value.isascii():
            if not self.keys.isdisjoint(_WORD.findall(value.lower())):
                return True
        elif not self.keys.isdisjoint(_WORD.findall(sort_key(value))):
            return True
        return (bool(self._contacts) and "@" in value) or (
            bool(self._phones) and _PHONE_HINT.search(value) is not None
        )

    def spans(self, value: str | None) -> list[tuple[int, int]]:
        """The (start, end) spans of ``value`` to replace, in order, not overlapping."""
        if not value or not self.withheld:
            return []
        found = self._name_spans(value)
        if self.emails is not None and "@" in value:
            found += [m.span() for m in self.emails.finditer(value)]
        if self.phones is not None and _PHONE_HINT.search(value):
            found += [m.span() for m in self.phones.finditer(value)]
        return _merged(found) if len(found) > 1 else found

    def _name_spans(self, value: str) -> list[tuple[int, int]]:
        folded, where = (value.lower(), None) if value.isascii() else fold(value)
        keys = self.keys.intersection(
            _WORD.findall(folded)
        )  # iterates the text's words, not every name
        if not keys:
            return []
        hits, protected = [], []
        for key in keys:
            for pattern, capital, protect in self._group(key):
                for match in pattern.finditer(folded):
                    start, end = match.span()
                    span = (start, end) if where is None else (where[start], where[end - 1] + 1)
                    if protect:
                        protected.append(span)
                    elif not capital or _capitalised(value, where, start, match.group()):
                        hits.append(span)
        return [h for h in hits if not any(p[0] <= h[0] and h[1] <= p[1] for p in protected)]

    def text(self, value: str | None) -> str:
        """``value`` with every withheld name replaced; None and "" stay as they are."""
        if not value or not self.withheld:
            return value or ""
        return self.redact(value)[0] if self.spans(value) else value

    def redact(self, value: str | None) -> tuple[str, list[tuple[int, int]]]:
        """``value`` redacted, and the spans of the replacements in the result (to show them)."""
        if not value:
            return value or "", []
        pieces, marks, at, length = [], [], 0, len(self.replacement)
        for start, end in self.spans(value):
            pieces += [value[at:start], self.replacement]
            done = sum(map(len, pieces))
            marks.append((done - length, done))
            at = end
        if not marks:
            return value, []
        return "".join(pieces) + value[at:], marks


def _capitalised(value: str, where: list[int] | None, start: int, found: str) -> bool:
    """Whether the main word of a match (its first word that is not a prefix: "Wit" of "de Wit")
    starts with a capital in the original text."""
    at = next((m.start() for m in _WORD.finditer(found) if m.group() not in PREFIXES), 0) + start
    return value[at if where is None else where[at]].isupper()


def _grouped(names: list[_Name]) -> list[tuple[re.Pattern[str], bool, bool]]:
    """The names of one key as one pattern per kind (any case, capitalised, protected), longest first:
    one search per kind instead of one per person (a village has many a "Jansen")."""
    kinds: dict[tuple[bool, bool], list[str]] = {}
    for name in names:
        kinds.setdefault((name.capital, name.protect), []).append(name.pattern)
    return [(re.compile("|".join(sorted(set(sources), key=len, reverse=True))), capital, protect)
            for (capital, protect), sources in kinds.items()]  # fmt: skip


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans as one: "Henk Oosterhuis" found as full name and as surname is replaced once."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
