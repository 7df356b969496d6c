"""What makes the handouts' stories, tables, charts and saving quicker (issue 19) must give what reportlab gives.

``quickcanvas.QuickCanvas`` (the base of every handout's canvas) writes a few operators itself;
random sequences of calls (text in several scripts, fonts and sizes, options that send the
call back to reportlab, transforms, lines, rectangles, colours, saved states) are made on a
quick canvas and on one with ``quick`` off (reportlab's own methods): the operators and the
canvas after each call and the saved PDF must be the same, byte for byte. Whole handouts
are compared both ways too, and each change to what the stories build is pinned against
what was built before.
"""

from __future__ import annotations

import copy
import io
import threading
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab import rl_config
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, Table

from wijkkit.handouts import NEEDS_SESSION, charts, common, pack, pdf_bytes, quickcanvas
from wijkkit.handouts.charts import unchecked
from wijkkit.handouts.common import ZEBRA, grid, styled
from wijkkit.handouts.feedback import Discreet, discreet_for
from wijkkit.handouts.page import BodyFrame, Context, NumberArray
from wijkkit.handouts.progress import plain_grid, wrapped
from wijkkit.handouts.quickcanvas import QuickCanvas
from wijkkit.handouts.style import BOLD, FONT, ITALIC, register_fonts

LETTERS = ("abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789.,;:-'!?éëşŁłőễ" + "αβγΩабвЯ" + "אבג" + "中文"
           + "😀" + "()\\\t\xa0%")  # fmt: skip
DEMO_TODAY = date(2026, 11, 29)


@pytest.fixture(autouse=True)
def _invariant(monkeypatch):
    register_fonts()
    monkeypatch.setattr(rl_config, "invariant", 1)


numbers = st.one_of(
    st.floats(-1000, 1000, allow_nan=False),
    st.integers(-1000, 1000),
    st.sampled_from([0, 0.0, -0.0, 1, 1.0, 1e-8, -1e-8, 1e-6, 0.5, 123456.789, 17.1234567]),
)
texts = st.text(st.sampled_from(LETTERS), max_size=25)
plain_colours = st.builds(colors.Color, st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))
any_colours = st.one_of(
    plain_colours,
    st.sampled_from([colors.HexColor("#1d2b27"), ZEBRA, colors.white, colors.Color(0, 0, 0, alpha=0.5),
                     colors.CMYKColor(0.1, 0.2, 0.3, 0.4), (0.2, 0.3, 0.4), "#c9d3cd", "red"]),
)  # fmt: skip
text_options = st.one_of(
    st.just(((), {})),
    st.sampled_from([
        ((None,), {}), ((None, 0, None, None, False), {}), ((), {"mode": None, "shaping": False}),
        ((), {"mode": 0}), ((1,), {}), ((), {"charSpace": 1.5}), ((), {"wordSpace": 2}),
        ((), {"direction": None, "wordSpace": 0}),
    ]),
)  # fmt: skip
calls = st.one_of(
    st.tuples(st.sampled_from(["drawString", "drawRightString", "drawCentredString"]), numbers, numbers, texts,
              text_options),
    st.tuples(st.just("setFont"), st.sampled_from([FONT, BOLD, ITALIC, "Helvetica"]),
              st.sampled_from([7, 8, 9, 10.5, 12.3]), st.sampled_from([None, 11, 14.5])),
    st.tuples(st.sampled_from(["translate", "scale"]), numbers, numbers),
    st.tuples(st.just("transform"), numbers, numbers, numbers, numbers, numbers, numbers),
    st.tuples(st.just("line"), numbers, numbers, numbers, numbers),
    st.tuples(st.just("rect"), numbers, numbers, numbers, numbers, st.sampled_from([0, 1]), st.sampled_from([0, 1])),
    st.tuples(st.just("setLineWidth"), numbers),
    st.tuples(st.sampled_from(["setFillColor", "setStrokeColor"]), any_colours, st.sampled_from([None, None, 0.5])),
    st.tuples(st.sampled_from(["saveState", "restoreState"])),
)  # fmt: skip


def canvas_state(canvas: Canvas) -> dict:
    state = {name: getattr(canvas, name) for name in Canvas.STATE_ATTRIBUTES[:-1]}  # not _extgstate
    state.update(extgstate=(dict(canvas._extgstate._d), dict(canvas._extgstate._c)), stack=len(canvas.state_stack),
                 fonts=dict(canvas._doc.fontMapping), version=canvas._doc._pdfVersion)  # fmt: skip
    for name in (FONT, BOLD, ITALIC):
        subsets = pdfmetrics.getFont(name).state.get(canvas._doc)
        if subsets is not None:
            state[name] = (subsets.nextCode, [list(s) for s in subsets.subsets], subsets.internalName)  # fmt: skip
    return state


def drawn(sequence: list[tuple], quick: bool) -> tuple[list, list, bytes]:
    """The operators and the canvas after each call, and the saved PDF."""
    buffer = io.BytesIO()
    canvas = QuickCanvas(buffer, pageCompression=0, initialFontName=FONT)
    canvas.quick = quick
    codes, states, depth = [], [], 0
    for name, *args in sequence:
        if name == "restoreState" and not depth:
            continue
        depth += {"saveState": 1, "restoreState": -1}.get(name, 0)
        if name.startswith("draw"):
            x, y, value, (options, keywords) = args
            getattr(canvas, name)(x, y, value, *options, **keywords)
        else:
            getattr(canvas, name)(*args)
        codes.append(list(canvas._code))
        states.append(canvas_state(canvas))
    canvas.showPage()
    canvas.save()
    return codes, states, buffer.getvalue()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(calls, min_size=1, max_size=25))
def test_the_quick_canvas_writes_what_reportlab_writes(sequence):
    assert drawn(sequence, quick=True) == drawn(sequence, quick=False)


def test_common_calls_take_the_quick_path(monkeypatch):
    """The calls the handouts make most are written without reportlab's methods."""
    for name in ("drawString", "drawRightString", "drawCentredString", "transform", "line", "rect", "setLineWidth",
                 "setFillColor", "setStrokeColor"):  # fmt: skip
        monkeypatch.setattr(Canvas, name, None)  # reportlab's own method would now fail
    canvas = QuickCanvas(io.BytesIO(), initialFontName=FONT)
    canvas.setFont(BOLD, 9)
    canvas.drawString(10, 20, "Şükrü (buurt)")
    canvas.drawRightString(10, 20, "pagina 1 van 16", mode=None)
    canvas.drawCentredString(10, 20, "✓", None, 0)
    canvas.translate(3.5, -2)
    canvas.line(0, 0, 100.25, 0)
    canvas.rect(0, 0, 10, 10, stroke=0, fill=1)
    canvas.setLineWidth(0.4)
    canvas.setFillColor(ZEBRA)
    canvas.setStrokeColor(colors.HexColor("#c9d3cd"))
    assert len(canvas._code) == 9


@given(numbers)
def test_numbers_are_reportlabs(value):
    assert quickcanvas.number(value) == fp_str(value)
    assert quickcanvas.number(value) == fp_str(value)  # remembered


def test_zebra_rows_draw_as_with_the_colour_as_text():
    rows = [["Afspraak", "Wie"], *[[f"Koffie {n}", "Henk"] for n in range(5)]]
    made = grid(rows, [200, 100])
    as_text = grid(rows, [200, 100])
    as_text._bkgrndcmds = [(*cmd[:3], [None, "#f6f8f6"]) if cmd[0] == "ROWBACKGROUNDS" else cmd
                           for cmd in as_text._bkgrndcmds]  # fmt: skip
    assert any(cmd[0] == "ROWBACKGROUNDS" and cmd[3][1] is ZEBRA for cmd in made._bkgrndcmds)
    assert ops_of(made) == ops_of(as_text)


@pytest.fixture(scope="module")
def demo(held_demo):
    return held_demo


@pytest.mark.parametrize("kind", ["pack", "progress", "signin", "feedback"])
def test_handouts_are_the_same_bytes_with_reportlabs_canvas(demo, kind, monkeypatch):
    kit, held = demo
    session = held if kind in NEEDS_SESSION or kind == "pack" else None
    quick = pdf_bytes(kind, kit, session, DEMO_TODAY)
    monkeypatch.setattr(QuickCanvas, "quick", False)
    assert pdf_bytes(kind, kit, session, DEMO_TODAY) == quick


indices = st.integers(-4, 6)
cell_commands = st.one_of(
    st.tuples(st.just("FONT"), st.sampled_from([FONT, BOLD])).map(lambda c: (*c, 9)),
    st.tuples(st.just("FONT"), st.sampled_from([FONT, BOLD]), st.sampled_from([7.5, 9]), st.sampled_from([9, 11.25])),
    st.tuples(st.just("TEXTCOLOR"), st.sampled_from([colors.HexColor("#1d2b27"), "red", (0.1, 0.2, 0.3)])),
    st.tuples(st.just("VALIGN"), st.sampled_from(["TOP", "MIDDLE", "BOTTOM"])),
    st.tuples(st.just("ALIGN"), st.sampled_from(["LEFT", "CENTRE", "RIGHT"])),
    st.tuples(st.sampled_from(["TOPPADDING", "BOTTOMPADDING", "LEFTPADDING", "RIGHTPADDING"]), st.sampled_from([1, 4])),
    st.tuples(st.just("LINEBELOW"), st.sampled_from([0.4, 0.8]), st.just(colors.HexColor("#c9d3cd"))),
    st.tuples(st.just("BACKGROUND"), st.just(colors.HexColor("#e3efe9"))),
    st.tuples(st.just("ROWBACKGROUNDS"), st.just([None, ZEBRA])),
)  # fmt: skip
ranges = st.one_of(
    st.sampled_from([((0, 0), (-1, -1)), ((0, 0), (-1, 0)), ((0, 1), (-1, -1)), ((0, 1), (0, -1)), ((3, 0), (-1, 0)),
                     ((1, 1), (2, 2)), ((0, -1), (-1, -1)), ((0, 2), (-1, -1)), ((0, 0), (-1, 1))]),
    st.tuples(st.tuples(indices, indices), st.tuples(indices, indices)),
)  # fmt: skip


def table_state(table: Table) -> tuple:
    styles = [[vars(style) for style in row] for row in table._cellStyles]
    return styles, table._linecmds, table._bkgrndcmds, table._spanCmds, table._nosplitCmds, table._srflcmds  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 8), st.integers(1, 5), st.lists(st.tuples(cell_commands, ranges), max_size=10))  # fmt: skip
def test_styled_tables_have_the_styles_reportlab_gives_them(rows, columns, drawn_commands):
    cells = [[f"{r}.{c}" for c in range(columns)] for r in range(rows)]
    commands = [(op, start, end, *values) for (op, *values), (start, end) in drawn_commands]
    plain = Table([list(row) for row in cells], colWidths=[60] * columns)
    plain.setStyle(commands)
    quick = styled(Table, [list(row) for row in cells], commands, colWidths=[60] * columns)
    assert table_state(quick) == table_state(plain)
    if rows:
        assert ops_of(quick) == ops_of(plain)


def ops_of(table: Table) -> list[str] | str:
    """The operators drawing ``table`` writes, or the error reportlab raises (a range beyond the table)."""
    canvas = Canvas(io.BytesIO(), initialFontName=FONT)
    try:
        table.wrapOn(canvas, 500, 800)
        table.drawOn(canvas, 20, 20)
    except IndexError as error:
        return repr(error)
    return canvas._code


def test_a_long_styled_table_copies_its_styles():
    """The common case takes the quick way: cells after the second row get copies, not reportlab's calls."""
    calls = []
    real = common.tables._setCellStyle
    try:
        common.tables._setCellStyle = lambda *args: calls.append(args) or real(*args)
        table = grid([["Afspraak", "Wie"], *[[f"Koffie {n}", "Henk"] for n in range(50)]], [200, 100])  # fmt: skip
    finally:
        common.tables._setCellStyle = real
    assert 0 < len(calls) <= 9 * 2 * 2  # commands x columns x the two sample rows
    assert len({id(style) for row in table._cellStyles for style in row}) == 51 * 2


def test_a_copied_frame_is_what_deepcopy_makes():
    frame = BodyFrame(10, 20, 500, 700.5, id="body")
    frame._frameBGs = [("x", [1, 2])]
    frame._prevASpace = 3.25
    plain = Frame.__new__(Frame)
    plain.__dict__.update(frame.__dict__)
    made, expected = copy.deepcopy(frame), copy.deepcopy(plain)
    assert type(made) is BodyFrame and made is not frame
    assert made.__dict__ == expected.__dict__
    assert made._frameBGs is not frame._frameBGs and made._frameBGs[0][1] is not frame._frameBGs[0][1]  # fmt: skip


def test_the_meeting_is_read_once_per_handout(demo, monkeypatch):
    kit, held = demo
    context = Context(kit, held, DEMO_TODAY)
    reads = []
    real = kit.sessions.get
    monkeypatch.setattr(kit.sessions, "get", lambda session_id: reads.append(session_id) or real(session_id))  # fmt: skip
    assert context.session == real(held)
    assert context.session is context.session
    assert reads == [held]
    other = next(s.id for s in kit.sessions.list() if s.id != held)
    context.session_id = other
    assert context.session.id == other


@settings(max_examples=200, deadline=None)
@given(st.lists(numbers | st.sampled_from([None, "x", b"y"]), max_size=40), st.booleans())
def test_widths_are_written_as_reportlab_writes_them(values, multiline):
    document = pdfdoc.PDFDocument()
    before = rl_config.pdfMultiLine
    rl_config.pdfMultiLine = multiline
    try:
        assert NumberArray(values).format(document) == pdfdoc.PDFArray(values).format(document)
    finally:
        rl_config.pdfMultiLine = before


def test_contents_made_for_a_taller_room_are_the_contents_of_this_room():
    def made(heights: list[float]) -> tuple:
        contents = pack.contents()
        contents.start_late()
        canvas = Canvas(io.BytesIO(), initialFontName=FONT)
        tables = []
        for height in heights:
            size = contents.wrapOn(canvas, 481.2, height)
            tables.append(contents._table)
        table = contents._table
        table.drawOn(canvas, 20, 20)  # with the dots and numbers the callback on this canvas draws
        return tables, size, table._rowHeights, table._colWidths, table._hmax, canvas._code

    kept, *kept_layout = made([0xFFFFFFF, 518.2])
    assert kept[0] is kept[1]  # made once
    fresh, *fresh_layout = made([518.2])
    assert kept_layout == fresh_layout
    short, *_layout = made([0xFFFFFFF, 40])  # no longer fits: made anew, as reportlab makes it
    assert short[0] is not short[1]


chart_names = st.lists(st.text(st.sampled_from(LETTERS), min_size=1, max_size=20), min_size=1, max_size=7)  # fmt: skip


def chart_ops(chart, quick: bool) -> tuple[list[str], dict]:
    canvas = Canvas(io.BytesIO(), initialFontName=FONT)
    chart.wrapOn(canvas, 500, 800)
    (chart.drawOn if quick else lambda *args: Drawing.drawOn(chart, *args))(canvas, 20, 30)
    return canvas._code, canvas_state(canvas)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chart_names, st.data())
def test_charts_drawn_without_checks_are_drawn_as_with_them(names, data):
    counts = st.lists(st.integers(0, 40), min_size=len(names), max_size=len(names))
    first, second = data.draw(counts), data.draw(counts)
    made = [
        charts.paired_bars(names, first, second, ("Aanbod", "Vraag")),
        charts.stacked_bars(
            names, [first, second], ["open", "klaar"], [charts.ACCENT, charts.MUTED]
        ),  # fmt: skip
        charts.pie(first[:5], names[:5], list(charts.STATUS_COLOURS.values())[: len(first[:5])]),
    ]
    for chart in filter(None, made):
        assert isinstance(chart, charts.UncheckedDrawing)
        assert chart_ops(chart, quick=True) == chart_ops(chart, quick=False)
        assert rl_config.shapeChecking == 1


def test_checks_are_off_only_while_drawing_and_put_back_after_overlapping_drawings():
    with pytest.raises(AttributeError):
        Rect(0, 0, 1, 1).nonsense = 1
    started, stop = threading.Barrier(3), threading.Event()

    def draw() -> None:
        with unchecked():
            started.wait()
            Rect(0, 0, 1, 1).nonsense = 1  # unchecked: no error
            stop.wait(5)

    threads = [threading.Thread(target=draw) for _n in range(2)]
    for thread in threads:
        thread.start()
    started.wait()
    assert rl_config.shapeChecking == 0
    stop.set()
    for thread in threads:
        thread.join()
    assert rl_config.shapeChecking == 1
    with pytest.raises(RuntimeError), unchecked():
        raise RuntimeError
    assert rl_config.shapeChecking == 1
    with pytest.raises(AttributeError):
        Rect(0, 0, 1, 1).nonsense = 1


def test_the_pack_reads_the_people_once_for_its_names(demo, monkeypatch):
    kit, held = demo
    context = Context(kit, held, DEMO_TODAY)
    reads = []
    real = kit.people.list
    monkeypatch.setattr(kit.people, "list", lambda *args, **kwargs: reads.append(1) or real(*args, **kwargs))  # fmt: skip
    pack.story(context)
    assert len(reads) == 1
    made = discreet_for(context)
    assert made is discreet_for(context)
    assert made.people == Discreet(real()).people


def test_a_plain_grid_wraps_each_repeated_text_as_it_wraps_it_alone():
    texts = [
        "open",
        "Dorpsbelang Ellerveen",
        "王小明",
        "30-11-2026",
        "een lange zin " * 6,
        7,
        "open",
        "王小明",
    ]
    rows = [[texts[(r + c) % len(texts)] for c in range(4)] for r in range(12)]
    widths = [120, 60, 80, 90]
    table = plain_grid(["A", "B", "C", "D"], rows, widths)
    for row, made in zip(rows, table._cellvalues[1:], strict=True):
        for n, (value, cell) in enumerate(zip(row, made, strict=True)):
            alone = wrapped(value, widths[n] - 12, BOLD if n == 0 else FONT)
            assert type(cell) is type(alone)
            assert cell == alone if isinstance(alone, str) else cell.text == alone.text
    paragraphs = [cell for row in table._cellvalues for cell in row if not isinstance(cell, str)]
    assert paragraphs and len({id(p) for p in paragraphs}) == len(
        paragraphs
    )  # one flowable per cell
