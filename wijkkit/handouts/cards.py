"""Question cards for the table hosts: one card per agenda item with questions, cut out and laid on the table.

A host at a table of six cannot hold the facilitator's script; a card with the step's
title, its purpose and its questions is all they need. The cards are printed six to
an A4 (two columns, three rows, 85 x 80 mm) with cut marks at every corner. Long
questions shrink to stay inside their card: first the type gets smaller, and when
even the smallest size does not fit, the whole text is scaled down (KeepInFrame).
"""

from __future__ import annotations

from functools import cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, Paragraph

from wijkkit.handouts.common import agenda_rows, context_title
from wijkkit.handouts.page import Context
from wijkkit.handouts.style import ACCENT, BOLD, FONT, ITALIC, MUTED, RULE, Para, para, styles, text
from wijkkit.i18n import _, gettext
from wijkkit.models import GROUP_FORMS

CARD_W, CARD_H = 85 * mm, 80 * mm
GAP = 6 * mm  # between the cards, for the cut marks
COLUMNS = 2
PAD = 5 * mm
MARK_OFFSET, MARK_LENGTH = 1.5 * mm, 3 * mm
SIZES = (10.5, 9.5, 8.5, 7.5, 6.5)  # the questions' type, tried largest first


def document_title(context: Context) -> str:
    return context_title(context, "cards")


class Card:
    """What goes on one card (plain data; the sheet lays it out)."""

    def __init__(self, label: str, title: str, purpose: str, questions: list[str], footer: str) -> None:
        self.label, self.title, self.purpose, self.questions, self.footer = label, title, purpose, questions, footer
        self.layout: Flowable | None = None


def _styles(size: float) -> dict[str, ParagraphStyle]:
    return _styles_from(size, styles()["body"])


@cache
def _styles_from(size: float, base: ParagraphStyle) -> dict[str, ParagraphStyle]:
    """The cards' styles at one size of the questions, made once (nothing changes a style once made)."""
    return {
        "label": ParagraphStyle("cardlabel", base, fontName=FONT, fontSize=7.5, leading=9, textColor=MUTED,
                                spaceAfter=2),
        "title": ParagraphStyle("cardtitle", base, fontName=BOLD, fontSize=size + 3, leading=(size + 3) * 1.2,
                                textColor=ACCENT, spaceAfter=3),
        "purpose": ParagraphStyle("cardpurpose", base, fontName=ITALIC, fontSize=size - 1.5,
                                  leading=(size - 1.5) * 1.3, textColor=MUTED, spaceAfter=5),
        "question": ParagraphStyle("cardquestion", base, fontSize=size, leading=size * 1.3, leftIndent=size * 1.8,
                                   bulletIndent=0, bulletFontName=BOLD, spaceAfter=size * 0.45),
    }  # fmt: skip


@cache
def _footer_style() -> ParagraphStyle:
    return ParagraphStyle("cardfoot", styles()["small"], fontSize=7, leading=8.5, textColor=MUTED)


def _paragraphs(card: Card, size: float) -> list[Paragraph]:
    style = _styles(size)
    parts = [Para(text(card.label), style["label"]), Para(text(card.title), style["title"])]
    if card.purpose:
        parts.append(Para(text(card.purpose), style["purpose"]))
    parts += [Para(text(q), style["question"], bulletText=f"{n}.") for n, q in enumerate(card.questions, 1)]
    return parts


def _height(parts: list[Paragraph], width: float) -> float:
    total = 0.0
    for n, part in enumerate(parts):
        total += part.wrap(width, 10_000)[1] + (part.getSpaceAfter() if n < len(parts) - 1 else 0)
    return total


def fitted(card: Card, width: float, height: float) -> Flowable:
    """The card's text at the largest size that fits, else scaled down to fit (kept for the next pass)."""
    if card.layout is None:
        parts = []
        for size in SIZES:
            parts = _paragraphs(card, size)
            if _height(parts, width) <= height:
                break
        card.layout = KeepInFrame(width, height, parts, mode="shrink")
    return card.layout


def cut_marks(canvas, x: float, y: float, width: float, height: float) -> None:
    """Short lines off each corner of a card, along its edges, just outside it."""
    near, far = MARK_OFFSET, MARK_OFFSET + MARK_LENGTH
    for cx, sx in ((x, -1), (x + width, 1)):
        for cy, sy in ((y, -1), (y + height, 1)):
            canvas.line(cx + sx * near, cy, cx + sx * far, cy)
            canvas.line(cx, cy + sy * near, cx, cy + sy * far)


class CardSheet(Flowable):
    """Rows of cards, two to a row, with cut marks; splits between rows across pages."""

    def __init__(self, cards: list[Card]) -> None:
        super().__init__()
        self.cards = cards
        self._footers: dict[str, Para] = {}  # footer text -> its paragraph, drawn on every card

    def _rows(self) -> int:
        return -(-len(self.cards) // COLUMNS)

    @staticmethod
    def _height(rows: int) -> float:
        return rows * CARD_H + max(0, rows - 1) * GAP

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = avail_width, self._height(self._rows())
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        fit = int((avail_height + GAP) // (CARD_H + GAP))
        if fit < 1 or fit >= self._rows():
            return []
        cut = fit * COLUMNS
        return [CardSheet(self.cards[:cut]), CardSheet(self.cards[cut:])]

    def draw(self) -> None:
        canvas = self.canv
        left = (self.width - COLUMNS * CARD_W - (COLUMNS - 1) * GAP) / 2  # centred on the page
        canvas.saveState()
        for n, card in enumerate(self.cards):
            row, column = divmod(n, COLUMNS)
            x = left + column * (CARD_W + GAP)
            y = self.height - (row + 1) * CARD_H - row * GAP
            self._card(card, x, y)
            canvas.setStrokeColor(MUTED)
            canvas.setLineWidth(0.4)
            cut_marks(canvas, x, y, CARD_W, CARD_H)
        canvas.restoreState()

    def _footer(self, value: str) -> Para:
        """The paragraph of a footer, made and wrapped once for all cards with it (the same lines each time)."""
        footer = self._footers.get(value)
        if footer is None:
            footer = self._footers[value] = Para(text(value), _footer_style())
        return footer

    def _card(self, card: Card, x: float, y: float) -> None:
        canvas = self.canv
        canvas.setFillColor(ACCENT)
        canvas.rect(x, y + CARD_H - 2.2 * mm, CARD_W, 2.2 * mm, stroke=0, fill=1)
        footer = self._footer(card.footer)
        inner = CARD_W - 2 * PAD
        _w, foot_h = footer.wrapOn(canvas, inner, CARD_H)
        footer.drawOn(canvas, x + PAD, y + PAD - 1.5 * mm)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.line(x + PAD, y + PAD + foot_h, x + CARD_W - PAD, y + PAD + foot_h)
        top, bottom = y + CARD_H - 2.2 * mm - 3.5 * mm, y + PAD + foot_h + 2 * mm
        body = fitted(card, inner, top - bottom)
        _w, body_h = body.wrapOn(canvas, inner, top - bottom)
        body.drawOn(canvas, x + PAD, top - body_h)


def cards(context: Context) -> list[Card]:
    session = context.session
    steps = context.kit.sessions.steps(session.id)
    found = []
    for number, (start, step) in enumerate(agenda_rows(session, steps), 1):
        if step.kind == "break" or not step.prompt_list:
            continue
        form = gettext(GROUP_FORMS.get(step.group_form, step.group_form))
        label = " · ".join(p for p in (_("Item {n}").format(n=number), start, form) if p)
        found.append(Card(label, step.title, step.purpose, step.prompt_list, session.title))
    return found


def story(context: Context) -> list:
    found = cards(context)
    if not found:
        from wijkkit.handouts.common import meeting_heading
        from wijkkit.handouts.render import title

        return meeting_heading(context.session, title("cards")) + [
            para(_("No agenda item of this meeting has questions yet, so there are no cards to print."), "muted")]
    return [CardSheet(found)]
