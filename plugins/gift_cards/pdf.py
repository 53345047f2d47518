"""The printable card, attached to the recipient's e-mail: code (and its QR code),
amount, where it is valid, until when."""
import io
from xml.sax.saxutils import escape

from django.utils import formats
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from townmarket.town import town

from .ledger import euros
from .models import Kind

QR_SIZE = 45 * mm


def qr_drawing(text):
    widget = QrCodeWidget(text, barLevel="M")
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x2 - x1), 0, 0, QR_SIZE / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing


def render_card(card, site_url=""):
    styles = getSampleStyleSheet()
    big = ParagraphStyle("code", parent=styles["Title"], fontName="Courier-Bold", fontSize=22, leading=28)

    def text(value, style="BodyText"):
        return Paragraph(escape(str(value or "")).replace("\n", "<br/>"), styles[style] if isinstance(style, str) else style)

    title = (f"Bon pour : {card.service_name}" if card.kind == Kind.SERVICE else str(card.get_kind_display()))
    story = [
        text(town().name, "Heading3"),
        text(title, "Title"),
        text(euros(card.initial_amount), "Title"),
        text(str(card.where) + ".", "Heading3"),
    ]
    if card.recipient_name:
        story.append(text(f"Pour {card.recipient_name}" + (f", de la part de {card.buyer_name}" if card.buyer_name else "")))
    if card.message:
        story.append(text(f"« {card.message} »", "Italic"))
    story += [
        Spacer(0, 6 * mm),
        text(card.display_code, big),
        qr_drawing(card.display_code),
        Spacer(0, 4 * mm),
        text(f"Valable jusqu'au {formats.date_format(card.expires_on, 'j F Y')}.", "Heading4"),
        text("En boutique : présentez ce code (ou son QR code) au commerçant. En ligne : saisissez-le au moment de "
             "commander, rubrique « Vous avez une carte cadeau ? ». Elle peut servir en plusieurs fois."),
    ]
    if site_url:
        story.append(text(f"Solde de la carte : {site_url}"))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=f"Carte cadeau {card.masked_code}", leftMargin=20 * mm,
                      rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=20 * mm).build(story)
    return buffer.getvalue()
