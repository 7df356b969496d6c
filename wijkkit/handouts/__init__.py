"""Printed handouts: every A4 document of a dialogue, rendered with reportlab.

``render(kind, kit, out, session_id=...)`` writes one PDF. The kinds are listed in
``KINDS``; each lives in its own module with ``document_title(ctx)`` and ``story(ctx)``
that returns reportlab flowables. The house style (fonts, colours, header and
footer with 'pagina x van y') is in ``style.py`` and ``page.py``, so every
document looks like the others. reportlab is imported here and nowhere on the
app's start-up path.
"""

from __future__ import annotations

from wijkkit.handouts.render import KINDS, NEEDS_SESSION, Handout, make, pdf_bytes, render

__all__ = ["KINDS", "NEEDS_SESSION", "Handout", "make", "pdf_bytes", "render"]

# Qt's text shaper, handed in by the app and the launcher (the core never imports Qt): see shaping.py
_shaper = None


def use_shaper(shaper) -> None:  # noqa: ANN001 - Callable[[str, str, int], tuple[list[tuple[int, float, float]], float] | None]
    """Shape complex scripts with ``shaper(text, font_path, face_index)``: glyph ids with x and y at 1000 units per em,
    and the total advance; None where it cannot. ``None`` turns shaping off."""
    global _shaper  # noqa: PLW0603 - one shaper for the process
    _shaper = shaper


def current_shaper():  # noqa: ANN201
    return _shaper
