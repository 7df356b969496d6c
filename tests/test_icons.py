"""The icons are generated from the one source image, reproducibly, and hold every size (issue 15, 14).

Windows picks a frame per size from the .ico (16 px in lists, 20/24/40 at other scales,
256 for large icons), macOS picks from the .icns; a missing size gets a blurry stand-in.
``python -m tools.icons --check`` (run by .ci/run) fails when a committed file is stale.
"""

from __future__ import annotations

import io
import shutil
import struct

import pytest
from PIL import Image

from tools import icons

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _ico_frames(data: bytes) -> dict[int, bytes]:
    """{size: the frame's raw bytes}, read from the ICO directory by hand."""
    _reserved, _kind, count = struct.unpack_from("<HHH", data)
    frames = {}
    for i in range(count):
        width, _h, _c, _r, _p, _b, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        frames[width or 256] = data[offset:offset + length]
    return frames


def test_the_source_is_a_1024_px_image_with_transparency():
    source = Image.open(icons.ICONS / icons.SOURCE_NAME)
    assert source.size == (1024, 1024) and source.mode == "RGBA"
    assert source.getpixel((0, 0))[3] == 0  # the rounded corner is transparent
    assert source.getpixel((512, 900))[3] == 255


def test_the_committed_icons_are_what_the_script_makes(capsys):
    assert icons.main(["--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_generating_twice_gives_the_same_bytes():
    source = icons.load_source()
    assert icons.generate(source) == icons.generate(source)


def test_the_ico_has_every_size_small_ones_as_bitmaps():
    data = (icons.ICONS / "wijkkit.ico").read_bytes()
    frames = _ico_frames(data)
    assert sorted(frames) == [16, 20, 24, 32, 40, 48, 64, 128, 256]
    for size, frame in frames.items():
        if size < 256:
            width, height, _planes, bits = struct.unpack_from("<IiiHH", frame)[1:]
            assert (width, height, bits) == (size, 2 * size, 32)  # a DIB: height counts the mask too
        else:
            assert frame.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(data))
    assert image.info["sizes"] == {(s, s) for s in frames}
    small = image.ico.getimage((16, 16)).convert("RGBA")
    assert small.getpixel((0, 0))[3] < 128 and small.getpixel((8, 8))[3] == 255


def test_the_icns_opens_with_every_size_macos_asks_for():
    image = Image.open(icons.ICONS / "wijkkit.icns")
    sizes = image.info["sizes"]
    for size in [(16, 16, 2), (32, 32, 2), (128, 128, 1), (256, 256, 1), (512, 512, 1), (512, 512, 2)]:
        assert size in sizes
        frame = image.icns.getimage(size)
        assert frame.size == (size[0] * size[2], size[1] * size[2])


def test_the_window_icon_is_256_px():
    image = Image.open(icons.ICONS / icons.PNG_NAME)
    assert image.size == (256, 256) and image.mode == "RGBA"


@pytest.fixture
def icon_copy(tmp_path):
    for name in (icons.SOURCE_NAME, "wijkkit.ico", "wijkkit.icns", icons.PNG_NAME):
        shutil.copy(icons.ICONS / name, tmp_path / name)
    return tmp_path


def test_the_check_finds_a_stale_icon(icon_copy):
    source = Image.open(icon_copy / icons.SOURCE_NAME).convert("RGBA")
    source.putpixel((512, 512), (255, 0, 0, 255))
    source.save(icon_copy / icons.SOURCE_NAME)  # the source changed, the generated files did not
    assert set(icons.stale(icon_copy)) == {"wijkkit.ico", "wijkkit.icns", icons.PNG_NAME}


def test_the_check_finds_a_missing_icon(icon_copy):
    (icon_copy / "wijkkit.icns").unlink()
    assert icons.stale(icon_copy) == ["wijkkit.icns"]


def test_the_check_accepts_the_same_pixels_compressed_differently(icon_copy):
    """Another Pillow or zlib build may compress the same pixels to other bytes."""
    png = Image.open(icon_copy / icons.PNG_NAME)
    png.save(icon_copy / icons.PNG_NAME, compress_level=1)
    assert (icon_copy / icons.PNG_NAME).read_bytes() != (icons.ICONS / icons.PNG_NAME).read_bytes()
    assert icons.stale(icon_copy) == []


@pytest.mark.only_on("linux", "win32", reason="macOS shows the .app's icns; the app sets no window icon there")
def test_the_app_window_has_wijkkits_icon(qapp):
    from ui.app import make_application

    app = make_application("nl")
    assert not app.windowIcon().isNull()
    assert app.windowIcon().actualSize(app.windowIcon().availableSizes()[0]).width() == 256
