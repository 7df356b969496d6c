"""Makes Wijkkit's icons for Windows, macOS and Linux from the one source image.

resources/icons/wijkkit.png (1024x1024, drawn by tools/icon_source.py) is the source;
this script scales it into the files each system wants:

- ``wijkkit.ico``: Windows (the executables, the installer, file associations), frames
  of 16-256 px. Written by hand rather than by Pillow, so that the small frames are
  plain 32-bit bitmaps (what every Windows tool reads) and only the 256 px frame is a
  PNG, the usual mix.
- ``wijkkit.icns``: macOS (the .app and its document types), as Pillow writes it:
  PNG frames of 32-1024 px (16 pt at 2x up to 512 pt at 2x).
- ``wijkkit-256.png``: the window icon on every system (ui/app.py) and Linux desktops.

The generated files are committed, so a build needs no Pillow magic; ``--check``
(run by .ci/run) regenerates them in memory and compares them with the committed
ones: byte for byte, or, where a different Pillow or zlib build compresses the same
pixels differently, decoded frame by frame.

    python -m tools.icons            # writes the three files
    python -m tools.icons --check    # exit 1 when a committed file is stale
"""

from __future__ import annotations

import argparse
import io
import struct
import sys
from pathlib import Path

from PIL import Image

from wijkkit.atomic import write_atomically

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SOURCE_NAME = "wijkkit.png"
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
ICNS_SIZES = (32, 64, 128, 256, 512, 1024)  # the frames Pillow's icns writer stores
PNG_SIZE = 256
PNG_NAME = f"wijkkit-{PNG_SIZE}.png"


def load_source(folder: Path = ICONS) -> Image.Image:
    source = Image.open(folder / SOURCE_NAME)
    source.load()
    if source.size != (1024, 1024):
        raise SystemExit(f"{SOURCE_NAME} must be 1024x1024, not {source.size[0]}x{source.size[1]}")
    return source.convert("RGBA")


def scaled(source: Image.Image, size: int) -> Image.Image:
    return source if source.width == size else source.resize((size, size), Image.Resampling.LANCZOS)


def png_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=9)
    return out.getvalue()


def _bitmap_frame(image: Image.Image) -> bytes:
    """An icon frame as a 32-bit DIB: header, bottom-up BGRA rows, then the AND mask."""
    width, height = image.size
    pixels = image.tobytes("raw", "BGRA", 0, -1)  # bottom-up, as DIBs are stored
    stride = (width + 31) // 32 * 4
    alpha = image.getchannel("A").transpose(Image.Transpose.FLIP_TOP_BOTTOM).tobytes()
    mask = bytearray(stride * height)
    for y in range(height):
        for x in range(width):
            if alpha[y * width + x] == 0:  # transparent for programs that ignore alpha
                mask[y * stride + x // 8] |= 0x80 >> (x % 8)
    header = struct.pack("<IiiHHIIiiII", 40, width, height * 2, 1, 32, 0,
                         len(pixels) + len(mask), 0, 0, 0, 0)
    return header + pixels + bytes(mask)


def ico_bytes(source: Image.Image) -> bytes:
    frames = [(size, png_bytes(scaled(source, size)) if size >= 256 else _bitmap_frame(scaled(source, size)))
              for size in ICO_SIZES]
    directory = struct.pack("<HHH", 0, 1, len(frames))
    offset = len(directory) + 16 * len(frames)
    entries, data = b"", b""
    for size, frame in frames:
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(frame), offset)
        offset += len(frame)
        data += frame
    return directory + entries + data


def icns_bytes(source: Image.Image) -> bytes:
    out = io.BytesIO()
    smaller = [scaled(source, size) for size in ICNS_SIZES if size != source.width]
    source.save(out, "ICNS", append_images=smaller)
    return out.getvalue()


def generate(source: Image.Image) -> dict[str, bytes]:
    """Every generated file's name and contents."""
    return {
        "wijkkit.ico": ico_bytes(source),
        "wijkkit.icns": icns_bytes(source),
        PNG_NAME: png_bytes(scaled(source, PNG_SIZE)),
    }


def decoded_frames(data: bytes, name: str) -> dict[tuple, bytes]:
    """The pixels of every frame in an icon file: {(width, height, scale): RGBA bytes}."""
    image = Image.open(io.BytesIO(data))
    if name.endswith(".png"):
        return {(image.width, image.height, 1): image.convert("RGBA").tobytes()}
    container = image.ico if name.endswith(".ico") else image.icns
    frames = {}
    for size in sorted(image.info["sizes"]):
        frame = container.getimage(size).convert("RGBA")
        frames[(*frame.size, 1 if len(size) == 2 else size[2])] = frame.tobytes()
    return frames


def stale(folder: Path = ICONS) -> list[str]:
    """Names of generated files in ``folder`` that are missing or differ from a fresh run."""
    different = []
    for name, fresh in generate(load_source(folder)).items():
        path = folder / name
        if not path.is_file():
            different.append(name)
            continue
        committed = path.read_bytes()
        if committed != fresh and decoded_frames(committed, name) != decoded_frames(fresh, name):
            different.append(name)
    return different


def write(folder: Path = ICONS) -> list[Path]:
    return [write_atomically(folder / name, data) for name, data in generate(load_source(folder)).items()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true",
                        help="compare freshly generated icons with the committed ones; exit 1 on a difference")
    args = parser.parse_args(argv)
    if args.check:
        different = stale()
        for name in different:
            print(f"resources/icons/{name} is stale: run python -m tools.icons and commit it")
        if not different:
            print("icons: up to date")
        return 1 if different else 0
    for path in write():
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
