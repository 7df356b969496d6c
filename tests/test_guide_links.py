"""The user guide (docs/handleiding) holds together: every chapter is reachable from the
contents, every link and image points at a file that exists, every image is used, and the
guide is installed with the package (so the Help menu finds it offline)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from wijkkit import assets

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "handleiding"
LINK = re.compile(r"(!?)\[[^\]]*\]\(([^)\s]+)\)")


def _links(page: Path) -> list[tuple[bool, str]]:
    return [(bang == "!", target) for bang, target in LINK.findall(page.read_text(encoding="utf-8"))]


def _local(target: str) -> bool:
    return not re.match(r"[a-z]+:", target) and not target.startswith("#")


def test_the_guide_is_found_from_a_checkout():
    assert assets.guide_dir() == GUIDE


def test_every_link_and_image_points_at_a_file():
    broken = [
        f"{page.name}: {target}"
        for page in sorted(GUIDE.glob("*.md"))
        for _image, target in _links(page)
        if _local(target) and not (GUIDE / target.split("#")[0]).is_file()
    ]
    assert broken == []


def test_every_chapter_is_reachable_from_the_contents():
    seen, todo = set(), ["index.md"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += [t.split("#")[0] for image, t in _links(GUIDE / name) if not image and _local(t) and t.endswith(".md")]
    assert seen == {p.name for p in GUIDE.glob("*.md")}
    assert len(seen) >= 6  # contents plus chapters for facilitators and coordinators


def test_every_image_is_used_and_small():
    used = {t for page in GUIDE.glob("*.md") for image, t in _links(page) if image}
    files = {f"img/{p.name}" for p in (GUIDE / "img").glob("*.png")}
    assert files and used == files
    total = sum((GUIDE / name).stat().st_size for name in files)
    assert total < 2_000_000, f"the guide's images are {total} bytes; they ship in every bundle"


def test_the_guide_is_written_in_dutch():
    text = (GUIDE / "index.md").read_text(encoding="utf-8").lower()
    assert "handleiding" in text and " u " in text


def test_the_guide_says_u_like_the_app():
    """The app addresses the reader as "u"; the guide does too, not "je" (issue 14, 22)."""
    informal = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)
    found = [
        f"{page.name}:{n}: {line.strip()[:60]}"
        for page in sorted(GUIDE.glob("*.md"))
        for n, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
        if informal.search(line)
    ]
    assert found == []


def test_the_guide_is_installed_with_the_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "wijkkit.handleiding" in config["packages"]
    assert config["package-dir"]["wijkkit.handleiding"] == "docs/handleiding"
    assert '"handleiding"' in (ROOT / "build.spec").read_text(encoding="utf-8")
