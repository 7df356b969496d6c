"""Maintains the Dutch catalogue: extract strings, update the .po, compile the .mo.

    python -m tools.i18n update    # add new source strings to the .po (empty msgstr)
    python -m tools.i18n compile   # write the .mo that the app loads
    python -m tools.i18n check     # exit 1 when a string lacks Dutch or the .mo is stale

Source strings are found with Python's ast: the first argument of ``_``, ``N_``
and ``gettext``, and the two of ``ngettext``. Only the standard library is used,
so this runs anywhere the project's Python does.
"""

from __future__ import annotations

import ast
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("wijkkit", "ui")
PO = ROOT / "resources" / "locale" / "nl" / "LC_MESSAGES" / "wijkkit.po"
MO = PO.with_suffix(".mo")
HEADER = (
    "Project-Id-Version: wijkkit\n"
    "Language: nl\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "Plural-Forms: nplurals=2; plural=(n != 1);\n"
)


@dataclass
class Entry:
    msgid: str
    plural: str | None = None
    msgstr: list[str] = field(default_factory=lambda: [""])
    refs: list[str] = field(default_factory=list)

    @property
    def translated(self) -> bool:
        return all(self.msgstr) and len(self.msgstr) == (2 if self.plural else 1)


def extract(root: Path = ROOT) -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    for package in SOURCES:
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
                ref = f"{path.relative_to(root)}:{node.lineno}"
                if name in ("_", "N_", "gettext") and args and args[0]:
                    found.setdefault(args[0], Entry(args[0])).refs.append(ref)
                elif name == "ngettext" and len(args) >= 2 and args[0] and args[1]:
                    found.setdefault(args[0], Entry(args[0], args[1], ["", ""])).refs.append(ref)
    return found


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def read_po(path: Path = PO) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    current: Entry | None = None
    target: tuple[str, int] | None = None

    def finish() -> None:
        if current is not None and current.msgid:
            entries[current.msgid] = current

    if not path.exists():
        return entries
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            finish()
            current, target = Entry(_unquote(line[6:])), ("msgid", 0)
        elif line.startswith("msgid_plural ") and current:
            current.plural, current.msgstr, target = _unquote(line[13:]), ["", ""], ("plural", 0)
        elif line.startswith("msgstr[") and current:
            index = int(line[7 : line.index("]")])
            current.msgstr[index] = _unquote(line[line.index("]") + 2 :])
            target = ("msgstr", index)
        elif line.startswith("msgstr ") and current:
            current.msgstr, target = [_unquote(line[7:])], ("msgstr", 0)
        elif line.startswith('"') and current and target:
            text = _unquote(line)
            if target[0] == "msgid":
                current.msgid += text
            elif target[0] == "plural":
                current.plural = (current.plural or "") + text
            else:
                current.msgstr[target[1]] += text
    finish()
    return entries


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def write_po(entries: dict[str, Entry], path: Path = PO) -> None:
    lines = ['msgid ""', 'msgstr ""'] + [_quote(h + "\n") for h in HEADER.strip().split("\n")] + [""]
    for entry in sorted(entries.values(), key=lambda e: e.msgid.lower()):
        lines += [f"#: {ref}" for ref in entry.refs[:3]]
        lines.append(f"msgid {_quote(entry.msgid)}")
        if entry.plural:
            lines.append(f"msgid_plural {_quote(entry.plural)}")
            lines += [f"msgstr[{i}] {_quote(s)}" for i, s in enumerate(entry.msgstr)]
        else:
            lines.append(f"msgstr {_quote(entry.msgstr[0])}")
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def update() -> dict[str, Entry]:
    """Merge the source strings into the .po, keeping existing translations."""
    old, new = read_po(), extract()
    for msgid, entry in new.items():
        if msgid in old and bool(old[msgid].plural) == bool(entry.plural):
            entry.msgstr = old[msgid].msgstr
    write_po(new)
    return new


def mo_bytes(entries: dict[str, Entry]) -> bytes:
    """The GNU .mo file for the translated entries (the format gettext reads)."""
    pairs = {"": HEADER}
    for entry in entries.values():
        if entry.translated:
            key = entry.msgid + ("\0" + entry.plural if entry.plural else "")
            pairs[key] = "\0".join(entry.msgstr)
    keys = sorted(pairs)
    ids = [k.encode("utf-8") for k in keys]
    strs = [pairs[k].encode("utf-8") for k in keys]
    count = len(keys)
    key_start = 7 * 4 + 16 * count
    offsets, id_blob, str_blob = [], b"", b""
    for raw_id, raw_str in zip(ids, strs, strict=True):
        offsets.append((len(id_blob), len(raw_id), len(str_blob), len(raw_str)))
        id_blob += raw_id + b"\0"
        str_blob += raw_str + b"\0"
    value_start = key_start + len(id_blob)
    key_table, value_table = [], []
    for id_off, id_len, str_off, str_len in offsets:
        key_table += [id_len, key_start + id_off]
        value_table += [str_len, value_start + str_off]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, count, 7 * 4, 7 * 4 + count * 8, 0, 0)
    return header + struct.pack(f"{len(key_table)}i", *key_table) + struct.pack(
        f"{len(value_table)}i", *value_table
    ) + id_blob + str_blob


def compile_catalogue() -> None:
    MO.write_bytes(mo_bytes(read_po()))


def problems() -> list[str]:
    """Every reason the catalogue is not complete and current; empty when all is well."""
    catalogue, issues = read_po(), []
    for msgid, entry in extract().items():
        if msgid not in catalogue or not catalogue[msgid].translated:
            issues.append(f"no Dutch translation for {msgid!r} ({entry.refs[0]})")
    if not MO.exists() or MO.read_bytes() != mo_bytes(catalogue):
        issues.append(f"{MO.relative_to(ROOT)} is out of date: run python -m tools.i18n compile")
    return issues


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        entries = update()
        print(f"{PO.relative_to(ROOT)}: {sum(not e.translated for e in entries.values())} untranslated")
    elif command == "compile":
        compile_catalogue()
        print(f"wrote {MO.relative_to(ROOT)}")
    elif command == "check":
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
