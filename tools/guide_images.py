"""Regenerates the pictures of the Dutch user guide (docs/handleiding/img) from the screenshots.

    make screenshots                 # writes screenshots/*.png at 1366x768 with the demo data
    python -m tools.guide_images     # scales the chosen ones into docs/handleiding/img

The guide ships inside the app bundle, whose size is budgeted, so every picture is
scaled down to at most 960 px wide and saved as an optimised palette PNG (128
colours, no dithering: flat UI colours stay flat and text stays crisp). IMAGES maps
each picture's name in the guide to the screenshot it is made from; change it when
the guide uses another picture, then run this again after a change to the UI.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "screenshots"
TARGET = ROOT / "docs" / "handleiding" / "img"
WIDTH = 960
COLOURS = 128

# name in docs/handleiding/img -> file in screenshots/
IMAGES = {
    "overzicht.png": "01-overzicht.png",
    "plannen.png": "02-plannen.png",
    "nieuwe-bijeenkomst.png": "02-plannen-nieuwe-bijeenkomst.png",
    "agenda.png": "02-plannen-2-agenda.png",
    "uitnodigingen.png": "02-plannen-3-uitnodigingen.png",
    "leiden.png": "03-leiden-loopt.png",
    "projector.png": "03-projector-1024x768.png",
    "aanmelden.png": "04-mensen-1-aanmelden.png",
    "aanbod-en-vraag.png": "04-mensen-3-aanbod-en-vraag.png",
    "afspraken.png": "04-mensen-5-afspraken.png",
    "uitdraaien.png": "05-uitdraaien-voorbeeld.png",
    "synchroniseren.png": "06-synchroniseren-laptop-verstuurd.png",
    "hub-samenvoegen.png": "06-synchroniseren-hub-1-samenvoegen.png",
    "hub-laptops.png": "06-synchroniseren-hub-2-laptops.png",
    "hub-conflicten.png": "06-synchroniseren-hub-3-conflicten.png",
    "hub-overzicht.png": "06-synchroniseren-hub-5-overzicht-per-wijk.png",
    "mensen.png": "04-mensen-2-mensen.png",
    "eerste-keer.png": "01-eerste-keer.png",
    "overzicht-leeg.png": "01-overzicht-leeg.png",
    "oefenen.png": "08-oefenen.png",
}


def convert(source: Path, target: Path, width: int = WIDTH, colours: int = COLOURS) -> int:
    """Scale ``source`` to at most ``width`` px wide as a palette PNG; returns its size in bytes."""
    with Image.open(source) as image:
        picture = image.convert("RGB")
    if picture.width > width:
        height = round(picture.height * width / picture.width)
        picture = picture.resize((width, height), Image.Resampling.LANCZOS)
    palette = picture.quantize(colors=colours, dither=Image.Dither.NONE)
    target.parent.mkdir(parents=True, exist_ok=True)
    palette.save(target, optimize=True)
    return target.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--screenshots", type=Path, default=SCREENSHOTS, help="folder of `make screenshots`"
    )
    parser.add_argument("--out", type=Path, default=TARGET, help="the guide's image folder")
    args = parser.parse_args(argv)
    missing = [shot for shot in IMAGES.values() if not (args.screenshots / shot).is_file()]
    if missing:
        print(
            f"missing in {args.screenshots}: {', '.join(missing)} (run `make screenshots` first)",
            file=sys.stderr,
        )
        return 1
    total = 0
    for name, shot in IMAGES.items():
        size = convert(args.screenshots / shot, args.out / name)
        total += size
        print(f"{name:28} {size / 1024:6.1f} KB  <- {shot}")
    print(f"{'total':28} {total / 1024:6.1f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
