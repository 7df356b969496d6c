"""Quick tables and contents (issue 19) give exactly what reportlab's own give.

``quicktable.QuickTable`` measures rows and draws cells with less work; here the same random
tables (paragraphs in the house styles, plain text with line breaks, numbers, empty cells,
tick boxes, two paragraphs in one cell; several alignments, paddings, fixed row heights and
repeated header rows) are made as a ``QuickTable`` and as reportlab's ``Table`` (and as a
``QuickLongTable`` and a ``LongTable``) and compared: the size each gives for a width and a
room, the row heights and positions, the parts a split into a short room makes (again and
again, as pages do), and the operators each part draws on a canvas. The contents of the pack
(``contents.LateContents``) are compared with reportlab's ``TableOfContents`` and with the
contents laid out again with their page numbers.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab import rl_config
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import LongTable, Table
from reportlab.platypus.tableofcontents import TableOfContents

from wijkkit.handouts import contents, pack, pdf_bytes, quicktable
from wijkkit.handouts.common import ZEBRA, styled
from wijkkit.handouts.quicktable import QuickLongTable, QuickTable
from wijkkit.handouts.signin import TickBox
from wijkkit.handouts.style import ACCENT, BOLD, FONT, INK, RULE, Para, register_fonts, styles, text

WORDS = ["Koffie", "buurtbus", "zaterdag", "Şükrü", "Łucja", "דוד", "محمد", "王小明", "😀", "a", "mmmmmmmmmmmmmmmmmmmmm",
         "&", "<b>", "12-01-2027", "Welzijn Veldhorst", ""]  # fmt: skip
DEMO_TODAY = date(2026, 11, 29)


@pytest.fixture(autouse=True)
def _invariant(monkeypatch):
    register_fonts()
    monkeypatch.setattr(rl_config, "invariant", 1)


words = st.lists(st.sampled_from(WORDS), max_size=14).map(" ".join)
cells = st.one_of(
    st.tuples(st.just("para"), words, st.sampled_from(["cell", "cellbold", "small"])),
    st.tuples(st.just("marked"), words, words),
    st.tuples(st.just("text"), st.lists(words, min_size=1, max_size=3).map("\n".join)),
    st.tuples(st.just("number"), st.integers(0, 2000)),
    st.tuples(st.just("empty")),
    st.tuples(st.just("none")),
    st.tuples(st.just("tick"), st.booleans()),
    st.tuples(st.just("two"), words, words),
)
options = st.fixed_dictionaries({
    "valign": st.sampled_from(["TOP", "MIDDLE", "BOTTOM"]),
    "align": st.sampled_from(["LEFT", "RIGHT", "CENTRE", "CENTER", "DECIMAL"]),
    "padding": st.sampled_from([0, 1, 4, 6]),
    "header": st.booleans(),
    "row_height": st.sampled_from([None, None, 20.0, 30.0]),
    "room": st.floats(20, 700),
})  # fmt: skip


def made(cell: tuple, kind_of_text: bool) -> object:
    """A fresh cell from its description (each table gets its own paragraphs: they keep their lines)."""
    kind, *values = cell
    if kind == "para":
        return Para(text(values[0]), styles()[values[1]])
    if kind == "marked":
        return Para(f"<b>{text(values[0])}</b><br/>{text(values[1])}", styles()["cell"])
    if kind == "text":
        return values[0].replace("&", "and") if kind_of_text else values[0]
    if kind == "number":
        return values[0]
    if kind == "none":
        return None
    if kind == "tick":
        return TickBox(ticked=values[0])
    if kind == "two":
        return [Para(text(values[0]), styles()["cell"]), Para(text(values[1]), styles()["small"])]
    return ()


def table(kind: type[Table], rows: list[list[tuple]], widths: list[float], opts: dict) -> Table:
    cells = [[made(cell, False) for cell in row] for row in rows]
    header = opts["header"] and len(rows) > 1
    commands = [
        ("VALIGN", (0, 0), (-1, -1), opts["valign"]), ("ALIGN", (1, 0), (-1, -1), opts["align"]),
        ("FONT", (0, 0), (-1, -1), FONT, 9), ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE), ("TOPPADDING", (0, 0), (-1, -1), opts["padding"]),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4), ("LEFTPADDING", (0, 0), (-1, -1), opts["padding"]),
        ("ROWBACKGROUNDS", (0, 0), (-1, -1), [None, ZEBRA]),
    ]  # fmt: skip
    if header:
        commands += [
            ("FONT", (0, 0), (-1, 0), BOLD, 9),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ]
    heights = None if opts["row_height"] is None else [opts["row_height"]] * len(rows)
    options = {
        "colWidths": list(widths),
        "rowHeights": heights,
        "repeatRows": 1 if header else 0,
        "splitInRow": 1,
    }
    return styled(kind, cells, commands, **options)


def outcome(made_table: Table, width: float, room: float, depth: int = 0) -> list:
    """What a frame sees of a table on pages ``room`` high: sizes, rows, parts, and the drawn operators."""
    canvas = Canvas(io.BytesIO(), initialFontName=FONT)
    try:
        size = made_table.wrapOn(canvas, width, room)
    except Exception as error:  # noqa: BLE001 - reportlab's error must be the same both ways
        return [type(error).__name__, str(error).split(" in\n")[0].split("@0x")[0]]
    seen = [
        size,
        made_table._rowHeights,
        made_table._rowpositions,
        made_table._colpositions,
        made_table._argH,
    ]
    if size[1] > room and depth < 4:
        parts = made_table.splitOn(canvas, width, room)
        seen.append(len(parts))
        for part in parts:
            if part is made_table:
                seen.append("whole")
                continue
            seen += outcome(part, width, room if depth < 2 else room * 1.5, depth + 1)
    try:
        made_table.drawOn(canvas, 10, 20)
    except ValueError as error:  # reportlab's, for a paragraph aligned on a decimal point
        return [*seen, str(error).split(" for ")[0]]
    seen.append(canvas._code)
    return seen


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 5), st.data())
def test_quick_tables_measure_split_and_draw_as_reportlabs(columns, data):
    rows = data.draw(
        st.lists(st.lists(cells, min_size=columns, max_size=columns), min_size=1, max_size=14)
    )
    widths = data.draw(st.lists(st.sampled_from([14.0, 40.0, 62.5, 90.0, 170.0]), min_size=columns,
                                max_size=columns))  # fmt: skip
    opts = data.draw(options)
    for quick, plain in ((QuickTable, Table), (QuickLongTable, LongTable)):
        assert outcome(table(quick, rows, widths, opts), sum(widths), opts["room"]) == \
            outcome(table(plain, rows, widths, opts), sum(widths), opts["room"])  # fmt: skip


def test_the_quick_ways_are_taken():
    """A house table is measured and drawn without reportlab's generic work (else the tests above test nothing)."""
    rows = [[("para", "Afspraak", "cellbold"), ("text", "Wie")]] + [[("para", "Koffie en thee", "cell"),
                                                                   ("text", "Gemeente")]] * 3  # fmt: skip
    made_table = table(QuickTable, rows, [100, 60], {"valign": "TOP", "align": "LEFT", "padding": 4, "header": True,
                                                     "row_height": None, "room": 700})  # fmt: skip
    calls = []
    made_table._listCellGeom = lambda *args, **kwargs: calls.append(
        args
    )  # reportlab's measuring of a cell list
    made_table._cellListProcess = (
        made_table._cellListProcess
    )  # still made once, as reportlab makes it
    outcome(made_table, 160, 700)
    assert calls == []


def test_a_cell_too_wide_is_reportlabs_error(monkeypatch):
    rows = [[("tick", True), ("text", "x")]]
    monkeypatch.setattr(rl_config, "allowTableBoundsErrors", 0)
    for kind in (QuickTable, Table):
        cells = [[made(cell, False) for cell in row] for row in rows]
        monkeypatch.setattr(TickBox, "wrap", lambda self, w, h: (w + 50, 10))
        with pytest.raises(Exception, match="too wide"):
            kind(cells, colWidths=[20, 20]).wrapOn(Canvas(io.BytesIO()), 40, 100)


def contents_ops(kind: type[TableOfContents], entries: list[tuple]) -> tuple:
    toc = kind([(level, title) for level, title, _page, _key in entries]) if kind is contents.LateContents \
        else kind()  # fmt: skip
    toc.levelStyles = [
        ParagraphStyle("toc", styles()["body"], fontName=FONT, fontSize=11.5, leading=20)
    ]
    toc.dotsMinLevel = 0
    toc._lastEntries = list(entries)
    canvas = Canvas(io.BytesIO(), initialFontName=FONT)
    size = toc.wrapOn(canvas, 481.2, 700)
    toc._table.drawOn(canvas, 20, 30)
    return size, toc._table._rowHeights, canvas._code


titles = st.lists(st.sampled_from(WORDS[:-1]), min_size=1, max_size=12).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(titles, st.integers(0, 400)), max_size=10))
def test_the_contents_table_is_reportlabs(entries):
    listed = [(0, text(title), page, None) for title, page in entries]
    assert contents_ops(contents.LateContents, listed) == contents_ops(TableOfContents, listed)


@pytest.fixture(scope="module")
def demo(held_demo):
    return held_demo


def test_the_pack_numbers_its_contents_laid_out_once(demo, monkeypatch):
    """The contents laid out with page 0 and numbered afterwards print what contents laid out again print."""
    kit, held = demo
    numbered = []
    original = contents.LateContents._numbered
    monkeypatch.setattr(contents.LateContents, "_numbered",
                        lambda self, *args: numbered.append(original(self, *args)) or numbered[-1])  # fmt: skip
    once = pdf_bytes("pack", kit, held, DEMO_TODAY)
    assert numbered == [True]
    monkeypatch.setattr(contents.LateContents, "_numbered", lambda self, *args: False)
    assert pdf_bytes("pack", kit, held, DEMO_TODAY) == once


def test_numbering_refuses_contents_not_laid_out_as_expected():
    toc = pack.contents()
    toc.start_late()
    canvas = Canvas(io.BytesIO(), initialFontName=FONT)
    toc.wrapOn(canvas, 481.2, 700)
    toc._entries = [(level, title, n + 2, None) for n, (level, title) in enumerate(toc.expected)]
    assert not toc._numbered(canvas, 400)  # laid out for another width
    assert not toc._numbered(Canvas(io.BytesIO()), 481.2)  # another canvas holds the callback
    label = next(
        f.cbDefn
        for f in contents._fragments(toc._table._cellvalues[0][0][0])
        if hasattr(f, "cbDefn")
    )
    label.label = "7,0,None"  # not what was laid out
    assert not toc._numbered(canvas, 481.2)
    label.label = "0,0,None"
    assert toc._numbered(canvas, 481.2)
    assert label.label == "2,0,None"


def test_the_house_tables_are_quick():
    from wijkkit.handouts.common import grid
    from wijkkit.handouts.progress import plain_grid

    assert type(grid([["a", "b"], ["c", "d"], ["e", "f"]], [50, 50])) is QuickTable
    assert type(plain_grid(["a"], [["b"], ["c"]], [80])) is QuickLongTable
    assert quicktable.QuickLongTable._longTableOptimize == LongTable._longTableOptimize


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 3), st.data())
def test_a_table_restyled_or_split_is_measured_anew(columns, data):
    """Heights kept from one measuring are dropped when a style command changes a cell or a split changes it."""
    rows = data.draw(
        st.lists(st.lists(cells, min_size=columns, max_size=columns), min_size=2, max_size=8)
    )
    widths = [90.0] * columns
    opts = data.draw(options)
    room = data.draw(st.floats(15, 200))

    def seen(kind: type[Table]) -> list:
        made_table, canvas = (
            table(kind, rows, widths, opts),
            Canvas(io.BytesIO(), initialFontName=FONT),
        )
        found = [made_table.wrapOn(canvas, sum(widths), 700), list(made_table._rowHeights)]
        made_table.setStyle(
            [("TOPPADDING", (0, 1), (-1, -1), 11), ("FONT", (0, 0), (-1, -1), BOLD, 12, 30)]
        )
        found += [made_table.wrapOn(canvas, sum(widths), 700), list(made_table._rowHeights)]
        found.append(len(made_table.splitOn(canvas, sum(widths), room)))
        found += [made_table.wrapOn(canvas, sum(widths), 700), list(made_table._rowHeights)]
        return found

    assert seen(QuickTable) == seen(Table)


def test_a_table_measured_after_a_row_was_split_is_measured_anew():
    """reportlab moves a cell's padding when it splits a row of a middle-aligned short and long cell."""
    rows = [
        [("para", "Koffie", "cell"), ("para", " ".join(["buurtbus zaterdag"] * 30), "cell")]
    ] * 2
    opts = {
        "valign": "MIDDLE",
        "align": "LEFT",
        "padding": 4,
        "header": False,
        "row_height": None,
        "room": 0,
    }

    def seen(kind: type[Table]) -> list:
        made_table, canvas = (
            table(kind, rows, [60.0, 90.0], opts),
            Canvas(io.BytesIO(), initialFontName=FONT),
        )
        found = [made_table.wrapOn(canvas, 150, 700)]
        found.append(len(made_table.splitOn(canvas, 150, found[0][1] * 0.3)))
        found += [made_table.wrapOn(canvas, 150, 700), list(made_table._rowHeights)]
        return found

    assert seen(QuickTable) == seen(Table)
