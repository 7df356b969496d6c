"""Printed handouts: every A4 document of a dialogue, rendered with reportlab.

``render(kind, kit, out, session_id=...)`` writes one PDF. The kinds are listed in
``KINDS``; each lives in its own module with ``document_title(ctx)`` and ``story(ctx)``
that returns reportlab flowables. The house style (fonts, colours, header and
footer with 'pagina x van y') is in ``style.py`` and ``page.py``, so every
document looks like the others. reportlab is imported here and nowhere on the
app's start-up path.
"""

from __future__ import annotations

from wijkkit.handouts.render import KINDS, NEEDS_SESSION, pdf_bytes, render

__all__ = ["KINDS", "NEEDS_SESSION", "pdf_bytes", "render"]
