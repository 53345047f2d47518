"""The one way to make a PDF: packing slips, run sheets, gift cards, the flyer and the
window posters all build theirs here.

Text is drawn with Bitstream Vera, a TrueType font shipped with reportlab
(reportlab/fonts, freely licensed) and EMBEDDED in every PDF: accents print as typed
on any printer, and the text stays real text (searchable, copyable). PDF's 14
built-in fonts are never used (they are not embedded and cover Latin-1 only).

    styles()                       reportlab's sample styles, in Vera
    paragraph(text, style)         a Paragraph of plain text: markup escaped, \\n kept
    qr_code(url, size)             a QR code drawing (error correction M)
    table(rows, style, **kwargs)   a Table whose cells are in Vera too (TableStyle commands)
    build(story, pagesize, title)  the PDF's bytes
"""
import copy
import io
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"
REGULAR, BOLD, ITALIC, BOLD_ITALIC = "Vera", "Vera-Bold", "Vera-Italic", "Vera-BoldItalic"
_FILES = {REGULAR: "Vera.ttf", BOLD: "VeraBd.ttf", ITALIC: "VeraIt.ttf", BOLD_ITALIC: "VeraBI.ttf"}
# The built-in fonts reportlab's sample styles name, and their Vera replacement.
_REPLACED = {"Helvetica": REGULAR, "Helvetica-Bold": BOLD, "Helvetica-Oblique": ITALIC,
             "Helvetica-BoldOblique": BOLD_ITALIC, "Times-Roman": REGULAR, "Times-Bold": BOLD,
             "Times-Italic": ITALIC, "Times-BoldItalic": BOLD_ITALIC, "Courier": REGULAR, "Courier-Bold": BOLD,
             "Courier-Oblique": ITALIC, "Courier-BoldOblique": BOLD_ITALIC}


@lru_cache(maxsize=None)
def register_fonts():
    """Register the Vera family once per process (reportlab keeps a global registry)."""
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    return True


def styles():
    """A fresh copy of reportlab's sample style sheet (« Title », « Heading2 »,
    « BodyText »…) drawn in Vera: callers may change their copy freely."""
    register_fonts()
    sheet = getSampleStyleSheet()
    for style in sheet.byName.values():
        for attribute in ("fontName", "bulletFontName"):  # list styles have neither
            if hasattr(style, attribute):
                setattr(style, attribute, _REPLACED.get(getattr(style, attribute), getattr(style, attribute)))
    return sheet


def style(base, name, **changes):
    """A variant of `base` (a ParagraphStyle) called `name`, with `changes`."""
    variant = copy.copy(base)
    variant.name = name
    for key, value in changes.items():
        setattr(variant, key, value)
    return variant


def paragraph(text, paragraph_style):
    """A Paragraph showing `text` as typed: « <b> » prints as « <b> », line breaks kept."""
    return Paragraph(escape(str(text if text is not None else "")).replace("\n", "<br/>"), paragraph_style)


def qr_code(url, size=45 * mm):
    """A `size` × `size` QR code holding `url` (error correction M: survives a smudge)."""
    register_fonts()
    widget = QrCodeWidget(str(url), barLevel="M")
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0],
                      initialFontName=REGULAR)  # else the drawing names Helvetica (not embedded)
    drawing.add(widget)
    return drawing


def table(rows, style=(), **kwargs):
    """A Table with `style` (TableStyle commands); its plain-string cells are drawn in
    Vera (a Table's default is Helvetica, which would not be embedded)."""
    register_fonts()
    result = Table(rows, **kwargs)
    result.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), REGULAR), *style]))
    return result


def build(story, pagesize=A4, title="", margin=15 * mm, **kwargs):
    """The PDF's bytes for the flowables of `story`. `kwargs` go to SimpleDocTemplate
    (author, onFirstPage…: onFirstPage and onLaterPages are passed to build())."""
    register_fonts()
    hooks = {key: kwargs.pop(key) for key in ("onFirstPage", "onLaterPages") if key in kwargs}
    buffer = io.BytesIO()
    margins = {"leftMargin": margin, "rightMargin": margin, "topMargin": margin, "bottomMargin": margin}
    margins.update({key: kwargs.pop(key) for key in list(kwargs) if key.endswith("Margin")})
    # The canvas's initial font too, or every page would also name Helvetica (not embedded).
    kwargs.setdefault("initialFontName", REGULAR)
    SimpleDocTemplate(buffer, pagesize=pagesize, title=title, **margins, **kwargs).build(story, **hooks)
    return buffer.getvalue()
