"""The portable Wijkkit for a USB stick: the bundle folder as a zip with an empty ``wijkkit-data`` beside the program.

``python -m tools.portable_zip dist/Wijkkit dist/Wijkkit-1.0-portable.zip`` stores
``dist/Wijkkit/`` as ``Wijkkit/``, adds the empty folder ``Wijkkit/wijkkit-data/`` (its
presence beside the executable switches Wijkkit to portable mode: ``wijkkit.paths.portable_dir``)
and a ``LEESMIJ.txt`` for the facilitator. Entries are sorted and every timestamp is the same
fixed date, so the same bundle always gives the same zip (a changed checksum means a changed
bundle). Symbolic links are stored as the files they point to: a zip unpacked on Windows has no links.
"""

from __future__ import annotations

import argparse
import os
import stat
import zipfile
from pathlib import Path

TOP = "Wijkkit"
PORTABLE_FOLDER = "wijkkit-data"  # the same name as wijkkit.paths.PORTABLE_FOLDER
STAMP = (2000, 1, 1, 0, 0, 0)  # any fixed date after 1980 (the zip format's first)

README_NAME = "LEESMIJ.txt"
README = """\
Wijkkit op een USB-stick (draagbare versie)
===========================================

Met deze versie neemt u Wijkkit en uw gegevens mee op een USB-stick. U hoeft
niets te installeren en u hebt geen beheerdersrechten nodig.

1. Pak dit zip-bestand uit op de USB-stick (rechtermuisknop > Alles uitpakken).
   Laat de map Wijkkit heel: de map wijkkit-data moet naast wijkkit.exe staan.
   Zolang die map er is, bewaart Wijkkit alles in wijkkit-data, op de stick.
2. Start Wijkkit door te dubbelklikken op wijkkit.exe in de map Wijkkit.
   Meldt Windows "Windows heeft uw pc beveiligd"? Kies dan "Meer informatie"
   en daarna "Toch uitvoeren".
3. Bij de eerste start kiest u een wachtzin. Daarmee wordt de sleutel van uw
   gegevens vergrendeld. Die sleutel staat op de stick, naast de gegevens, en
   nooit op de computer waarop u werkt. Bij elke start vraagt Wijkkit de
   wachtzin opnieuw. Wie de stick vindt, kan zonder wachtzin niets lezen.
4. Druk het herstelblad af (Instellingen > Herstelblad afdrukken) en bewaar het
   op een veilige plek. Vergeet u de wachtzin, dan opent alleen het herstelblad
   uw gegevens nog.
5. Sluit Wijkkit af voordat u de stick uit de computer haalt.
   Is de stick er toch uitgehaald terwijl Wijkkit open was? Dan vraagt Wijkkit
   bij de volgende start of u het werk mag overnemen.
6. Maak regelmatig een kopie van de map wijkkit-data op een andere plek: een
   stick raakt makkelijk zoek of kapot. De kopie is net zo goed vergrendeld.

Op een Windows-computer met een ARM-processor draait deze versie ook (Windows
vertaalt hem zelf). Meer uitleg: de handleiding in Wijkkit (menu Help).
"""


def _entries(dist: Path) -> list[tuple[str, Path]]:
    """(name in the zip, file on disk) for every file under ``dist``, sorted by name."""
    found = []
    for folder, dirs, files in os.walk(dist, followlinks=True):
        dirs.sort()
        for name in files:
            path = Path(folder, name)
            found.append((f"{TOP}/{path.relative_to(dist).as_posix()}", path))
    return sorted(found)


def _info(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=STAMP)
    info.create_system = 3  # Unix, so the mode bits below count (executables stay executable)
    info.external_attr = mode << 16
    if name.endswith("/"):
        info.external_attr |= 0x10  # MS-DOS directory flag
    else:
        info.compress_type = zipfile.ZIP_DEFLATED
    return info


def make_zip(dist: Path, out: Path) -> Path:
    """Write the portable zip of the bundle folder ``dist`` to ``out``; returns ``out``."""
    dist, out = Path(dist), Path(out)
    if not dist.is_dir():
        raise SystemExit(f"error: no bundle folder at {dist}: build it first (make bundle)")
    if (dist / PORTABLE_FOLDER).exists():
        raise SystemExit(f"error: {dist} already has a {PORTABLE_FOLDER} folder; build a clean bundle")
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    with zipfile.ZipFile(part, "w", compresslevel=6) as archive:
        archive.writestr(_info(f"{TOP}/", stat.S_IFDIR | 0o755), b"")
        for name, path in _entries(dist):
            executable = os.access(path, os.X_OK)
            info = _info(name, stat.S_IFREG | (0o755 if executable else 0o644))
            with open(path, "rb") as source, archive.open(info, "w") as target:
                while chunk := source.read(1 << 20):
                    target.write(chunk)
        archive.writestr(_info(f"{TOP}/{PORTABLE_FOLDER}/", stat.S_IFDIR | 0o755), b"")
        text = README.replace("\n", "\r\n").encode("utf-8")  # CRLF: Notepad on any Windows
        archive.writestr(_info(f"{TOP}/{README_NAME}", stat.S_IFREG | 0o644), text)
    os.replace(part, out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.portable_zip", description=__doc__.splitlines()[0])
    parser.add_argument("dist", type=Path, help="the bundle folder, e.g. dist/Wijkkit")
    parser.add_argument("out", type=Path, help="the zip to write, e.g. dist/Wijkkit-portable.zip")
    args = parser.parse_args(argv)
    out = make_zip(args.dist, args.out)
    print(f"{out}: {out.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
