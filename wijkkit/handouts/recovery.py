"""The recovery sheet: a database's key on paper, as words and as a QR code.

The database is encrypted and its key lives in this computer's keystore (or wrapped
with a passphrase). A new laptop, a reinstalled system or a forgotten passphrase would
lose every resident's record for good; this sheet is the way back
(``wijkkit key restore``). It holds the key itself, so it says plainly to keep it
locked away. The words are those of wijkkit/recovery.py (base32 with a check); the
QR code holds the same text. The key comes from the keystore (remembered since the
database was opened), never from the file.
"""

from __future__ import annotations

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from wijkkit import keystore, recovery
from wijkkit.errors import KitError
from wijkkit.handouts.common import gap, grid
from wijkkit.handouts.page import Context
from wijkkit.handouts.style import Para, para, styles, text
from wijkkit.i18n import N_, _

WARNING = N_(
    "Without this sheet, or the key on your computer, the data in this database is lost for good: "
    "nobody can open it, not even the makers of Wijkkit. Keep this sheet locked away, apart from the "
    "laptop. Anyone who has this sheet and the database file can read everything in it."
)
QR_SIZE = 60 * mm
PER_LINE = 7


def document_title(context: Context) -> str:
    return _("Recovery sheet for the database")


def key_of(context: Context) -> keystore.DatabaseKey:
    path = context.kit.path
    salt = keystore.salt_of(path) if path is not None else None
    if salt is None:
        raise KitError(N_("This database is not encrypted, so it has no key to print."))
    return keystore.find(path, salt)


def qr_code(value: str) -> Drawing:
    widget = QrCodeWidget(value, barLevel="M", barBorder=2)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(
        QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0]
    )
    drawing.add(widget)
    return drawing


def story(context: Context) -> list:
    made = key_of(context)
    words = recovery.to_words(made.key)
    lines = [" ".join(words[i : i + PER_LINE]) for i in range(0, len(words), PER_LINE)]
    facts = [(_("Database"), str(context.kit.path)), (_("Database mark"), made.ident),
             (_("Printed on"), f"{context.today:%d-%m-%Y}")]  # fmt: skip
    return [
        para(document_title(context), "title"),
        para(_(WARNING), "h2"),
        gap(2),
        grid(facts, (40 * mm, 134 * mm), header=False),
        gap(4),
        para(_("The key, in {count} groups of four characters").format(count=len(words)), "h2"),
        *[Para(text(line), ParagraphStyle("words", styles()["big"], fontSize=20, leading=27)) for line in lines],
        gap(2),
        qr_code(" ".join(words)),
        gap(4),
        para(_("How to use this sheet"), "h2"),
        para(_("On a computer where the database does not open for want of its key, Wijkkit asks for this "
               "sheet when it starts: type the {count} groups above (spaces and capitals do not matter), or "
               "scan the QR code and paste its text. On the command line: 'wijkkit key restore --db "
               "<database file>'. A typing error is noticed before anything changes.").format(count=len(words))),
        para(_("The database mark is the start of the file itself: it tells you which database this "
               "sheet belongs to. Print a new sheet for every new database."), "muted"),
    ]  # fmt: skip
