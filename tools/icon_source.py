"""Draws Wijkkit's source icon, resources/icons/wijkkit.png (1024x1024), once.

The PNG it writes is the source of truth: tools/icons.py makes the .ico, .icns and
the small PNG from it. This script is kept so the mark can be redrawn (another colour,
a bolder roof) from a few numbers instead of by hand; run it only to change the mark,
then ``python -m tools.icons`` to regenerate the rest.

The mark: a house whose body is a speech bubble with three dots, a neighbourhood in
conversation, white on the app's accent green (ui/style.py ACCENT), on a rounded
square. Drawn with Pillow's primitives at 4x and scaled down, for smooth edges.

    python -m tools.icon_source
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "resources" / "icons" / "wijkkit.png"
SIZE = 1024
SCALE = 4  # drawn at 4096 px, then downsampled

ACCENT = (31, 111, 92, 255)  # ui/style.py ACCENT, #1f6f5c
PAPER = (255, 255, 255, 255)


def draw() -> Image.Image:
    big = Image.new("RGBA", (SIZE * SCALE, SIZE * SCALE), (0, 0, 0, 0))
    pen = ImageDraw.Draw(big)

    def box(x0, y0, x1, y1):
        return [round(v * SCALE) for v in (x0, y0, x1, y1)]

    def points(*xy):
        return [(round(x * SCALE), round(y * SCALE)) for x, y in xy]

    # The tile: a rounded square with a small margin, so it sits well beside other icons.
    pen.rounded_rectangle(box(48, 48, 976, 976), radius=210 * SCALE, fill=ACCENT)
    # The roof, wider than the house, then the body: a rounded speech bubble with a tail.
    pen.polygon(points((512, 188), (834, 468), (190, 468)), fill=PAPER)
    pen.rounded_rectangle(box(262, 420, 762, 772), radius=56 * SCALE, fill=PAPER)
    pen.polygon(points((318, 740), (462, 740), (292, 868)), fill=PAPER)
    # Three dots: people talking.
    for x in (392, 512, 632):
        pen.ellipse(box(x - 42, 596 - 42, x + 42, 596 + 42), fill=ACCENT)
    return big.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


def main() -> int:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    draw().save(TARGET, optimize=True)
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
