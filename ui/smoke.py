"""``wijkkit --smoke-test``: prove an installation works, without a screen.

Opens every page and the user guide offscreen on a temporary copy of the demo village,
made as an encrypted database (SQLCipher, so sqlcipher3's OpenSSL must load) whose key
goes to a key file in the temporary folder, never the user's keystore, and is found again;
renders the session pack and reads it back with QtPdf, writes the held meeting as an .ics
file whose Europe/Amsterdam time zone must be described in it (so the time-zone data is in
the bundle: Windows has none of its own), sends the village to a new hub as
a signed, encrypted bundle (so the crypto libraries must load), and exits 0;
any failure prints what broke and exits 1. CI runs it against the PyInstaller
bundle and against a plain ``pip install``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from pathlib import Path


def smoke_test(language: str | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from wijkkit import demo

    from .app import make_application
    from .main_window import MainWindow

    try:
        with tempfile.TemporaryDirectory(prefix="wijkkit-smoke-") as folder:
            app = make_application(language)
            database = Path(folder) / "wijkkit.sqlite"
            os.environ.update(WIJKKIT_CONFIG_DIR=str(Path(folder) / "config"), WIJKKIT_KEYSTORE="file")
            demo.create(database)
            kit = _open_encrypted(database)
            window = MainWindow(kit)
            window.resize(1366, 768)
            window.show()
            for index in range(window.page_count):
                window.show_page(index)
                app.processEvents()
                assert window.current_page() is window.page(index)
            from .guide import show_guide

            guide = show_guide(window)  # Help > User guide, from the installed files
            if guide is None or "Handleiding" not in guide.browser.document().toPlainText():
                raise RuntimeError("the user guide did not open")
            from wijkkit.handouts import pdf_bytes

            from .pdf_pages import PdfPages

            held = next(s for s in kit.sessions.list() if s.status == "held")
            pack = PdfPages(pdf_bytes("pack", kit, held.id))
            if pack.count < 10 or pack.image(0, 400).isNull():
                raise RuntimeError(f"the session pack has {pack.count} pages")
            pages = pack.count
            pack.close()
            _ics_export(kit, held, Path(folder))
            window.close()
            changes = _sync_round_trip(kit, Path(folder))
            kit.close()
        print(f"smoke test passed: {window.page_count} pages and the guide opened on the demo village, "
              f"a session pack of {pages} pages rendered, an .ics with its time zone written, a bundle of {changes} changes "
              "signed, encrypted and merged at a hub; the database is encrypted at rest")  # fmt: skip
        return 0
    except Exception:  # noqa: BLE001 - the smoke test reports every failure
        from . import background

        background.wait()  # let a page's background work finish before the window goes
        traceback.print_exc(file=sys.stderr)
        print("smoke test FAILED", file=sys.stderr)
        return 1


def _open_encrypted(database: Path):
    """The demo file is encrypted (no demo name among its bytes), and its key is found in the key file."""
    from wijkkit import keystore
    from wijkkit.kit import Kit

    salt = keystore.salt_of(database)
    if salt is None or b"Ellerveen" in database.read_bytes():
        raise RuntimeError("the demo database is not encrypted")
    keystore.forget(salt)  # found again from the key file, as at the next start
    kit = Kit.open(database)
    keystore.take_notices()
    return kit


def _ics_export(kit, session, folder: Path) -> None:
    """The meeting as an .ics file through the core. ``wijkkit.ics`` loads the Europe/Amsterdam zone when
    imported, which fails where tzdata is missing (Windows has no zone database of its own); the file
    must then describe that zone for the calendars (VTIMEZONE)."""
    from wijkkit import ics

    path = ics.write_meeting(session, kit.sessions.steps(session.id), folder / "bijeenkomst.ics")
    text = path.read_text(encoding="utf-8")
    if "BEGIN:VTIMEZONE" not in text or "TZID:Europe/Amsterdam" not in text:
        raise RuntimeError("the .ics export does not describe its time zone Europe/Amsterdam")


def _sync_round_trip(kit, folder: Path) -> int:
    """Join a fresh hub, export a bundle, trust the laptop and merge: the changes applied."""
    from wijkkit.kit import Kit
    from wijkkit.sync import exchange, keys

    inbox = folder / "inbox"
    inbox.mkdir()
    with Kit.open(folder / "hub.sqlite") as hub:
        keys.export_hub_key(hub, folder / "hub-sleutel.wijkhub", "smoke")
        keys.join(kit, folder / "hub-sleutel.wijkhub")
        exchange.export(kit, inbox)
        if not exchange.merge_inbox(hub, inbox).waiting:
            raise RuntimeError("the hub did not put the new laptop in its approval queue")
        keys.trust(hub, kit.replica_id, keys.own_fingerprint(kit))
        report = exchange.merge_inbox(hub, inbox, folder / "outbox")
        if report.refused or len(report.applied) != 1:
            raise RuntimeError(f"the hub merged {len(report.applied)} bundles: {report.refused}")
        return report.applied[0][1].applied
