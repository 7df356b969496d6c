"""Contrast of the house style (issue 17, problem 5): every colour pair the style sheet, the palette
and the pages' own colours put on screen, by the WCAG formula.

The style sheet in ui/style.py is parsed: each rule's text colour against its own background, or,
where it has none, against both backgrounds text sits on (the page and a white card or field).
Text needs 4.5:1, large text (24 px, or 18.7 px bold) 3:1. Borders a person needs to see a field
(non-text contrast, WCAG 1.4.11) need 3:1: they are measured in the pixels Qt draws, since the
platform style draws them. Decorative lines (card edges, grid lines) are exempt, as WCAG allows.
An overdue date must not be told by red alone (WCAG 1.4.1): the model says it in words too.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tests.ui.test_lead_page import lead, steady  # noqa: F401 - the Leiden page's fixtures

WHITE = "#ffffff"
PAGE = "#f4f5f2"  # the pages' background (ui/style.py)
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
DECL = re.compile(r"([a-z-]+)\s*:\s*([^;]+)")
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|\bwhite\b")


def luminance(colour: str) -> float:
    channels = []
    for value in QColor(colour).getRgbF()[:3]:
        channels.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def rules(sheet: str) -> dict[str, dict[str, str]]:
    """Selector -> declarations, one entry per selector of a comma-separated list."""
    found: dict[str, dict[str, str]] = {}
    for selectors, body in RULE.findall(sheet):
        declarations = {name: value.strip() for name, value in DECL.findall(body)}
        for selector in selectors.split(","):
            found.setdefault(selector.strip(), {}).update(declarations)
    return found


def base_of(selector: str) -> str:
    """``QListWidget#nav::item:selected`` -> ``QListWidget#nav``: where inherited values come from."""
    return re.split(r"::|:|\[", selector, maxsplit=1)[0]


def colour_of(value: str) -> str | None:
    match = HEX.search(value)
    return None if match is None else ("#ffffff" if match.group(0) == "white" else match.group(0))


def text_pairs(sheet: str):
    """(selector, text colour, background, size in px, bold) for every rule that colours text."""
    found = rules(sheet)
    for selector, declarations in found.items():
        inherited = found.get(base_of(selector), {})
        colour = declarations.get("color") or inherited.get("color")
        if colour is None or "color" not in declarations and "background" not in declarations:
            continue
        size_text = declarations.get("font-size") or inherited.get("font-size") or "12px"
        size = float(size_text.removesuffix("px"))
        weight = int(declarations.get("font-weight") or inherited.get("font-weight") or 400)
        backgrounds = [colour_of(declarations.get("background") or inherited.get("background") or "")]
        if backgrounds == [None]:
            backgrounds = [PAGE, WHITE]  # a label sits on the page or on a white card
        for background in backgrounds:
            yield selector, colour_of(colour), background, size, weight >= 700


def needed(size: float, bold: bool) -> float:
    return 3.0 if size >= 24 or (bold and size >= 18.66) else 4.5


def test_every_text_colour_in_the_style_sheet_is_readable():
    from ui.style import STYLESHEET

    pairs = list(text_pairs(STYLESHEET))
    assert len(pairs) > 20
    low = [f"{selector}: {fg} on {bg} {contrast(fg, bg):.2f}:1 (needs {needed(size, bold)})"
           for selector, fg, bg, size, bold in pairs if contrast(fg, bg) < needed(size, bold)]  # fmt: skip
    assert low == []


def test_the_palette_pairs_are_readable():
    from ui.style import light_palette

    palette = light_palette()
    pairs = [(QPalette.Text, QPalette.Base), (QPalette.Text, QPalette.AlternateBase),
             (QPalette.WindowText, QPalette.Window), (QPalette.PlaceholderText, QPalette.Base),
             (QPalette.ButtonText, QPalette.Button), (QPalette.HighlightedText, QPalette.Highlight),
             (QPalette.ToolTipText, QPalette.ToolTipBase), (QPalette.Link, QPalette.Base),
             (QPalette.LinkVisited, QPalette.Base)]  # fmt: skip
    for group in (QPalette.Active, QPalette.Inactive):  # disabled controls are exempt (WCAG 1.4.3)
        for text, background in pairs:
            fg, bg = palette.color(group, text).name(), palette.color(group, background).name()
            assert contrast(fg, bg) >= 4.5, (text, background, fg, bg)


def test_colours_the_pages_set_themselves_are_readable():
    """Status colours outside the style sheet: the hub's merge results (list text on white, 13 px),
    overdue dates (table text on white), the rehearsal banner; the projector's huge countdown."""
    from ui.models.agreements import OVERDUE
    from ui.pages.sync.hub_merge import COLOURS
    from ui.projector import COLOURS as PROJECTOR

    for kind, colour in COLOURS.items():
        assert contrast(colour, WHITE) >= 4.5, kind
    assert contrast(OVERDUE.name(), WHITE) >= 4.5
    assert contrast("#5c4300", "#fff3c4") >= 4.5  # ui/rehearsal.py's banner
    for colour in PROJECTOR.values():
        assert contrast(colour, "#111814") >= 3.0  # large text


def test_the_focus_ring_stands_out_against_what_it_covers():
    from ui.focus_ring import RING, RING_ON_DARK
    from ui.style import FIELD_BORDER

    for behind in (WHITE, PAGE, FIELD_BORDER, "#eef0ec"):  # a field, the page, its border, a button
        assert contrast(RING, behind) >= 3.0, behind
    for behind in ("#243b35", "#2f4d45", "#2b463f"):  # the sidebar, its selected and its hovered item
        assert contrast(RING_ON_DARK, behind) >= 3.0, behind


def _border_pixel(image) -> str:
    """The colour of the widget's frame: along the middle row, the first pixel from the left that is
    not the page behind it (a field's left edge, a check box's square)."""
    middle, page = image.height() // 2, QColor(PAGE)
    for x in range(image.width()):
        colour = image.pixelColor(x, middle)
        if max(abs(colour.red() - page.red()), abs(colour.green() - page.green()), abs(colour.blue() - page.blue())) > 8:
            return colour.name()
    return page.name()


@pytest.mark.usefixtures("dutch_app")
@pytest.mark.parametrize("kind", [QLineEdit, QSpinBox, QDateEdit, QComboBox, QPlainTextEdit, QCheckBox])
def test_field_borders_are_drawn_at_3_to_1(qtbot, kind):
    """The frame Qt draws around a field, a spin box, a date, a choice, a text box and a check box:
    at least 3:1 against the white inside and against the page around it."""
    holder = QWidget()
    qtbot.addWidget(holder)
    widget = kind()
    widget.setFocusPolicy(Qt.NoFocus)  # the border itself, not a focus ring drawn over it
    QVBoxLayout(holder).addWidget(widget)
    holder.resize(240, 80)
    holder.show()
    qtbot.waitExposed(holder)
    QApplication.processEvents()
    image = widget.grab().toImage()
    border = _border_pixel(image)
    assert contrast(border, WHITE) >= 3.0 and contrast(border, PAGE) >= 3.0, border


@pytest.mark.usefixtures("dutch_app")
def test_placeholder_text_is_readable(qtbot):
    """A placeholder is the only label of some fields: its darkest pixels reach 4.5:1 on white."""
    field = QLineEdit(placeholderText="Typ en druk op Enter...")
    qtbot.addWidget(field)
    field.resize(260, 30)
    field.show()
    qtbot.waitExposed(field)
    image = field.grab().toImage()
    inside = [image.pixelColor(x, y) for x in range(6, 200) for y in range(6, image.height() - 6)]
    darkest = min(inside, key=lambda c: c.lightness()).name()
    assert contrast(darkest, WHITE) >= 4.5, darkest


@pytest.mark.usefixtures("dutch_app")
def test_overdue_dates_say_so_in_words_and_bold(today_kit):
    """Red alone is lost on a colour-blind reader and a screen reader: the due date says "(te laat)"
    and is bold, in the model itself, so every table of agreements shows it."""
    from wijkkit import dates
    from wijkkit.i18n import _

    from ui.models.agreements import DUE_COLUMN, AgreementTableModel

    model = AgreementTableModel(today_kit.agreements.open, today=date.today)
    late = [r for r in range(model.rowCount()) if model.overdue(model.record(r))]
    on_time = [r for r in range(model.rowCount()) if not model.overdue(model.record(r))]
    assert late and on_time
    for row in late:
        index = model.index(row, DUE_COLUMN)
        said = _("{date} (overdue)").format(date=dates.short_date(model.record(row).due_on))
        assert model.data(index) == said != dates.short_date(model.record(row).due_on)
        assert model.data(index, Qt.FontRole).bold()
    for row in on_time:
        index = model.index(row, DUE_COLUMN)
        assert model.data(index) == dates.short_date(model.record(row).due_on)
        assert model.data(index, Qt.FontRole) is None


def test_a_chosen_capture_kind_stands_out_from_the_others(qtbot, lead):  # noqa: F811
    """The chosen kind was told only by a light grey fill, 1.2:1 against the others (WCAG 1.4.11 asks 3:1)."""
    panel = lead.capture
    chosen, other = panel.kinds.checkedButton(), panel.kinds.button(2)
    assert chosen is not other
    chosen_fill, other_fill = (b.grab().toImage().pixelColor(b.width() // 2, 4) for b in (chosen, other))
    assert contrast(chosen_fill.name(), other_fill.name()) >= 3
    assert chosen.font().bold() or chosen.fontInfo().bold() or chosen_fill.name() != other_fill.name()
