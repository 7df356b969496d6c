"""``python -m ui.screenshots DIR [--size WxH] [--scale F] [--font-scale F] [--lang nl]``: every page as a PNG.

Every page of the main window is shown offscreen on a fresh demo village and saved as
``NN-page.png``, at 1366x768 (a common laptop) unless ``--size`` says otherwise. ``--scale``
sets Qt's scale factor as Windows does at 125 % or 150 %: ``--size 1920x1080 --scale 1.5``
lays the window out at 1280x720 logical pixels and saves 1920x1080 images. ``--font-scale 1.5``
makes the default font 50 % larger, as a larger system font does (the style sheet follows it), to
see that nothing is clipped and the pages scroll where they must. Later issues add
their own views (a running and an ended meeting, the projector, PDF pages) through
``EXTRA_SHOTS``; they use the same size.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

LAPTOP = (1366, 768)
SIZE = list(LAPTOP)  # the logical window size of this run (main() sets it from --size and --scale)


def _save(widget, path: Path) -> Path:
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    widget.grab().save(str(path))
    return path


def _projector_shots(page, out: Path, stem: str) -> list[Path]:
    """What the Leiden page puts on the wall, on a projector laptop and on a full HD beamer."""
    from .projector import ProjectorWindow

    projector, written = ProjectorWindow(), []
    for width, height in ((1024, 768), (1920, 1080)):
        projector.resize(width, height)
        projector.show()
        projector.show_view(page.view.projector_view())
        written.append(_save(projector, out / f"{stem}-{width}x{height}.png"))
    projector.close()
    return written


def plan_shots(window, out: Path) -> list[Path]:
    """The Plannen page's tabs, an agenda that does not fit, and its dialogs."""
    from .pages.plan.dialogs import NewMeetingDialog
    from .pages.plan.templates_dialog import TemplatesDialog

    window.show_page(1)
    page = window.page(1)
    written = []
    for tab in range(1, page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        written.append(_save(window, out / f"02-plannen-{tab + 1}-{slug(page.tabs.tabText(tab))}.png"))
    page.tabs.setCurrentIndex(1)
    editor = page.agenda_editor
    editor.model.edit(editor.model.step(1).id, minutes=60)
    written.append(_save(window, out / "02-plannen-agenda-past-niet.png"))
    editor.model.edit(editor.model.step(1).id, minutes=30)
    dialog = NewMeetingDialog(window.kit, parent=window)
    dialog.show()
    written.append(_save(dialog, out / "02-plannen-nieuwe-bijeenkomst.png"))
    dialog.close()
    templates = TemplatesDialog(window.kit, parent=window)
    templates.show()
    written.append(_save(templates, out / "02-plannen-sjablonen.png"))
    templates.close()
    return written


def lead_shots(window, out: Path) -> list[Path]:
    """The console during a running meeting, and the projector at beamer and full-HD size."""
    from datetime import UTC, datetime, timedelta


    kit, page_index = window.kit, 2
    session = kit.sessions.next_planned()
    now = datetime.now(UTC)
    start = (now - timedelta(minutes=80)).astimezone().replace(tzinfo=None, second=0, microsecond=0)
    kit.sessions.edit(session.id, starts_at=start.isoformat(timespec="minutes"),
                      ends_at=(start + timedelta(minutes=140)).isoformat(timespec="minutes"))  # fmt: skip
    kit.live.press(session.id, "start", now - timedelta(minutes=80))
    for minutes_ago in (60, 18):  # both steps took longer than planned: the evening runs late
        kit.live.press(session.id, "next", now - timedelta(minutes=minutes_ago))
    steps = kit.sessions.steps(session.id)
    for kind, text, table in (("note", "Koffieochtend loopt goed: elke week 20 mensen.", 1),
                              ("obstacle", "Buurtbus rijdt nog steeds niet op zaterdag.", 2),
                              ("offer", "Henk wil op zaterdag rijden met zijn eigen auto.", 2),
                              ("agreement", "Rooster voor zaterdagritten maken met Henk en Şükrü.", 3)):  # fmt: skip
        kit.live.capture(session.id, kind, text, now - timedelta(minutes=5), steps[2].id, table)
    window.show_page(page_index)
    page = window.page(page_index)
    page.load(session.id)
    written = [_save(window, out / "03-leiden-loopt.png")]
    page.side.setCurrentWidget(page.review)
    written.append(_save(window, out / "03-leiden-bespreken.png"))
    page.side.setCurrentWidget(page.capture)
    page.show_proposal()
    written.append(_save(window, out / "03-leiden-voorstel-op-tijd.png"))
    written += dots_shots(window, page, steps[2].id, now, out)
    kit.live.press(session.id, "end", now)
    page.load(session.id)
    written.append(_save(window, out / "03-leiden-afgelopen.png"))
    written += _projector_shots(page, out, "03-projector")
    return written


def dots_shots(window, page, step_id: str, now, out: Path) -> list[Path]:
    """Leiden > Stippen with dots counted (a tie, one made an agreement), and its ranking on the projector."""
    from datetime import timedelta


    kit, session = window.kit, page.session_id
    counted = []
    for n, (kind, text, dots) in enumerate((
            ("dream", "Een koffieochtend in De Schakel waar iedereen binnenloopt, ook wie slecht ter been is.", 9),
            ("idea", "Een lijst bij de bakker met wie wat kan: klussen, rijden, een praatje.", 6),
            ("dream", "Een buurtbus die ook op zaterdag rijdt, naar de markt en terug.", 6),
            ("idea", "Samen eten in de kantine van de voetbalclub, eens per maand.", 3),
            ("idea", "Een spreekuur in de bibliotheekhoek.", None))):  # fmt: skip
        item = kit.live.capture(session, kind, text, now - timedelta(minutes=4 - n), step_id, 1)
        if dots is not None:
            kit.dots.set_dots(item.id, dots)
            counted.append(item.id)
    kit.dots.choose(session, counted[:1], now.astimezone().replace(tzinfo=None))
    page.side.setCurrentWidget(page.dots)
    page.dots.load(session)
    written = [_save(window, out / "03-leiden-stippen.png")]
    page.view.show_ranking(None)
    written += _projector_shots(page, out, "03-projector-stippen")
    page.view.show_ranking(False)
    page.side.setCurrentWidget(page.capture)
    return written


def people_shots(window, out: Path) -> list[Path]:
    """Every tab of Mensen en afspraken, with a person, an offer and an agreement selected."""
    window.show_page(3)
    page = window.page(3)
    page.people.table.selectRow(0)
    page.exchange.offer_view.selectRow(1)  # in the edit form beside the matches
    page.agreements.table.selectRow(0)
    written = []
    for tab in range(page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        written.append(_save(window, out / f"04-mensen-{tab + 1}-{slug(page.tabs.tabText(tab))}.png"))
    return written


def handout_shots(window, out: Path) -> list[Path]:
    """The Uitdraaien page with its preview, and every page of every handout as an image."""
    from wijkkit.handouts import KINDS, NEEDS_SESSION, pdf_bytes

    from . import background
    from .pdf_pages import PdfPages

    window.show_page(4)
    page = window.page(4)
    page.documents.setCurrentRow(page.kinds.index("invitation"))
    background.wait()
    from PySide6.QtTest import QTest

    QTest.qWait(500)  # QtPdf loads and paints the preview in the background
    written = [_save(window, out / "05-uitdraaien-voorbeeld.png")]
    held = next(s for s in window.kit.sessions.list() if s.status == "held")
    for number, kind in enumerate(KINDS, start=1):
        pages = PdfPages(pdf_bytes(kind, window.kit, held.id if kind in NEEDS_SESSION else None))
        for index in range(pages.count):
            path = out / f"05-pdf-{number:02d}-{kind}-{index + 1}.png"
            pages.image(index, 900).save(str(path))
            written.append(path)
        pages.close()
    return written


def sync_shots(window, out: Path) -> list[Path]:
    """Synchroniseren: the demo laptop after fetching and sending; the hub with a merge, waiting keys (one
    claimed twice), trusted laptops with their neighbourhoods, a conflict and a refused erasure; the
    approval and neighbourhood dialogs; the laptop and the hub's laptops at 1024x768."""
    from PySide6.QtCore import QSettings

    from wijkkit import privacy
    from wijkkit.kit import Kit
    from wijkkit.sync import keys, scope

    from . import background
    from .bridge import KitBridge
    from .main_window import MainWindow
    from .pages.sync.hub_dialogs import ApproveDialog, NeighbourhoodsDialog
    from .pages.sync.page import SyncPage

    remembered = {key: QSettings().value(key) for key in ("sync/outbox", "sync/inbox", "hub/inbox", "hub/outbox")}
    written = []
    with tempfile.TemporaryDirectory(prefix="wijkkit-sync-shots-") as folder:
        folder = Path(folder)
        inbox, outbox = folder / "inbox", folder / "outbox"
        inbox.mkdir()
        with Kit.open(folder / "hub.sqlite") as hub, Kit.open(folder / "tweede.sqlite") as second, \
                Kit.open(folder / "derde.sqlite") as third, Kit.memory() as stranger:  # fmt: skip
            hub_window = MainWindow(hub)
            hub_window.resize(*SIZE)
            hub_window.show()
            hub_window.show_page(5)
            hub_page = hub_window.page(5).hub
            hub_page.hub_name.setText("Gemeente Veldhorst")
            key = folder / "hub-sleutel.wijkhub"
            hub_page.make_hub(key)
            window.show_page(5)
            laptop = window.page(5).laptop
            pages = [SyncPage(kit, KitBridge(kit)) for kit in (second, third)]  # not shown: two more laptops
            others = [page.laptop for page in pages]
            merge = hub_page.merge_tab
            merge.set_folders(inbox, outbox)

            def send(tab) -> None:
                tab.set_outbox(inbox)
                tab.send_now()
                background.wait()

            def merge_now() -> None:
                merge.merge()
                background.wait()

            for tab in (laptop, others[0]):
                tab.import_key(key)
                send(tab)
            merge_now()
            for name, kit in (("Ingrid Veenstra", window.kit), ("Joost de Wit", second)):
                keys.trust(hub, kit.replica_id, keys.own_fingerprint(kit), name)
            merge_now()
            served = [n.id for n in hub.neighbourhoods.list()]
            scope.assign(hub, second.replica_id, served[:1])  # Joost helps Ingrid in her first neighbourhood
            merge.write_updates()
            background.wait()
            for tab in (laptop, others[0]):
                tab.fetch_folder(outbox)
                background.wait()
            agreement = next(a for a in second.agreements.list())
            window.kit.agreements.edit(agreement.id, title="Koffieochtend elke dinsdag in De Schakel")
            second.agreements.edit(agreement.id, title="Koffieochtend op woensdag, bij de bieb")
            privacy.erase_person(second, next(p.id for p in second.people.list() if p.name))  # not his to erase
            for tab in (laptop, others[0]):
                send(tab)
            others[1].import_key(key)
            send(others[1])
            keys.note_claim(hub, third.replica_id, keys.public_sign_key(stranger), keys.age_recipient(stranger))
            merge_now()
            written.append(_save(window, out / "06-synchroniseren-laptop-verstuurd.png"))
            for index in range(hub_page.tabs.count()):
                hub_page.tabs.setCurrentIndex(index)
                name = slug(hub_page.tabs.tabText(index).split(" (")[0])
                written.append(_save(hub_window, out / f"06-synchroniseren-hub-{index + 1}-{name}.png"))
            laptops = hub_page.laptops
            approve = ApproveDialog(hub, laptops.pending.record(0), parent=hub_window)
            approve.typed.setText("ABCD-EFGH")
            approve.accept()  # refused: shows why
            approve.show()
            written.append(_save(approve, out / "06-synchroniseren-hub-goedkeuren.png"))
            approve.close()
            chooser = NeighbourhoodsDialog(hub, keys.peer(hub, second.replica_id), parent=hub_window)
            chooser.show()
            written.append(_save(chooser, out / "06-synchroniseren-hub-wijken-toewijzen.png"))
            chooser.close()
            for win, name, shown in ((hub_window, "hub-samenvoegen", merge), (hub_window, "hub-laptops", laptops),
                                     (window, "laptop", None)):  # fmt: skip
                win.resize(1024, 768)
                if shown is not None:
                    hub_page.tabs.setCurrentWidget(shown)
                written.append(_save(win, out / f"06-synchroniseren-{name}-1024x768.png"))
                win.resize(*SIZE)
            hub_window.close()
            for page in pages:
                page.deleteLater()
    for key, value in remembered.items():  # the folders were temporary: leave the user's settings as they were
        if value is None:
            QSettings().remove(key)
        else:
            QSettings().setValue(key, value)
    return written


def guide_shots(window, out: Path) -> list[Path]:
    """Help > User guide: the contents and a chapter with a screenshot in it."""
    from .guide import show_guide

    guide = show_guide(window)
    written = [_save(guide, out / "09-handleiding.png")]
    guide.open_chapter("de-avond.md")
    written.append(_save(guide, out / "09-handleiding-de-avond.png"))
    guide.close()
    return written


def first_run_shots(window, out: Path) -> list[Path]:
    """An empty database: the Overzicht that says what to do next, and the setup dialog."""
    from wijkkit.kit import Kit

    from .first_run import FirstRunDialog
    from .main_window import MainWindow

    with Kit.memory() as empty:
        fresh = MainWindow(empty)
        fresh.resize(*SIZE)
        fresh.show()
        fresh.show_page(0)
        written = [_save(fresh, out / "01-overzicht-leeg.png")]
        dialog = FirstRunDialog(empty, parent=fresh)
        dialog.show()
        written.append(_save(dialog, out / "01-eerste-keer.png"))
        dialog.close()
        fresh.close()
    return written


def rehearsal_shots(window, out: Path) -> list[Path]:
    """Bestand > Oefenen: the choice of a meeting, and the rehearsal window with its clock running."""
    from datetime import UTC, datetime

    from wijkkit import clock
    from wijkkit.rehearsal import FAST, SpedUpClock, copy_meeting
    from wijkkit.sessions import at_hand

    from .rehearsal import ChooseRehearsal, RehearsalWindow

    sessions = window.kit.sessions.list()
    found = at_hand(sessions, datetime.now(UTC)) or sessions[0]
    chooser = ChooseRehearsal(sessions, found.id, True, parent=window)
    chooser.show()
    written = [_save(chooser, out / "08-oefenen-kiezen.png")]
    chooser.close()
    sped = SpedUpClock(clock.SteadyClock().micros, FAST)
    rehearsal = copy_meeting(window.kit, found.id, sped.now())
    rehearsal_window = RehearsalWindow(rehearsal, sped.steady(), True)
    rehearsal_window.resize(*SIZE)
    rehearsal_window.show()
    rehearsal_window.page.load(rehearsal.session_id)
    rehearsal.kit.live.press(rehearsal.session_id, "start", sped.now())
    rehearsal_window.page.load(rehearsal.session_id)
    written.append(_save(rehearsal_window, out / "08-oefenen.png"))
    rehearsal_window.close()
    return written


def retention_shots(window, out: Path) -> list[Path]:
    from .retention_dialog import screenshot

    return screenshot(window, out)


def outreach_shots(window, out: Path) -> list[Path]:
    from .pages.outreach_dialog import screenshots

    return screenshots(window, out)


EXTRA_SHOTS: list[Callable[[object, Path], list[Path]]] = [plan_shots, people_shots, handout_shots, lead_shots,
                                                            sync_shots, guide_shots, retention_shots,
                                                            rehearsal_shots, first_run_shots,
                                                            outreach_shots]  # fmt: skip


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def capture_pages(window, out: Path, size: tuple[int, int] | None = None) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    window.resize(*(size or SIZE))
    window.show()
    written = []
    for index in range(window.page_count):
        window.show_page(index)
        QApplication.processEvents()
        name = window.nav.item(index).text()
        path = out / f"{index + 1:02d}-{slug(name)}.png"
        window.grab().save(str(path))
        written.append(path)
    return written


def scale_font(app, factor: float) -> None:
    """The application's default font ``factor`` times as large; the style sheet follows it."""
    from PySide6.QtGui import QFont

    font = QFont(app.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    else:
        font.setPixelSize(round(font.pixelSize() * factor))
    app.setFont(font)


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    try:
        size = int(width), int(height)
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1024x768, not {text!r}") from None
    if min(size) < 200:
        raise argparse.ArgumentTypeError(f"size {text!r} is too small")
    return size


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots", description="Every page of Wijkkit as a PNG.")
    parser.add_argument("out", nargs="?", default="screenshots", help="folder for the images")
    parser.add_argument("language", nargs="?", default=None, help=argparse.SUPPRESS)  # older calls: DIR nl
    parser.add_argument("--size", type=_size, default=LAPTOP, help="screen size in pixels, e.g. 1024x768")
    parser.add_argument("--scale", type=float, default=1.0, help="scale factor, e.g. 1.5 for Windows' 150 %%")
    parser.add_argument("--font-scale", type=float, default=1.0,
                        help="default font size factor, e.g. 1.5 for a system font 50 %% larger")
    parser.add_argument("--lang", default=None, help="language of the app, e.g. nl")
    arguments = parser.parse_args(argv)
    if not 0.5 <= arguments.scale <= 4:
        parser.error("scale must be between 0.5 and 4")
    if not 0.5 <= arguments.font_scale <= 4:
        parser.error("font scale must be between 0.5 and 4")
    return arguments


def main(argv: list[str]) -> int:
    arguments = _arguments(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if arguments.scale != 1.0:  # read once, when the application is made
        os.environ["QT_SCALE_FACTOR"] = f"{arguments.scale:g}"
    from wijkkit import demo
    from wijkkit.kit import Kit

    from .app import make_application
    from .main_window import MainWindow

    SIZE[:] = [round(side / arguments.scale) for side in arguments.size]
    out = Path(arguments.out)
    out.mkdir(parents=True, exist_ok=True)
    app = make_application(arguments.lang or arguments.language)
    if arguments.font_scale != 1.0:
        scale_font(app, arguments.font_scale)
    with tempfile.TemporaryDirectory(prefix="wijkkit-shots-") as folder:
        database = Path(folder) / "wijkkit.sqlite"
        demo.create(database)
        with Kit.open(database) as kit:
            window = MainWindow(kit)
            written = capture_pages(window, out)
            for extra in EXTRA_SHOTS:
                written += extra(window, out)
            window.close()
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
