"""The printable card, attached to the recipient's e-mail: code (and its QR code),
amount, where it is valid, until when."""
from django.utils import formats
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from townmarket import pdf
from townmarket.money import euros
from townmarket.town import town

from .models import Kind

QR_SIZE = 45 * mm


def render_card(card, site_url="", site=None):
    """The card's PDF, with its town's name (`site`: the card's town)."""
    styles = pdf.styles()
    big = pdf.style(styles["Title"], "code", fontName=pdf.BOLD, fontSize=22, leading=28)

    def text(value, style="BodyText"):
        return pdf.paragraph(value or "", styles[style] if isinstance(style, str) else style)

    title = (f"Bon pour : {card.service_name}" if card.kind == Kind.SERVICE else str(card.get_kind_display()))
    story = [
        text(town(site=site).name, "Heading3"),
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
        pdf.qr_code(card.display_code, QR_SIZE),
        Spacer(0, 4 * mm),
        text(f"Valable jusqu'au {formats.date_format(card.expires_on, 'j F Y')}.", "Heading4"),
        text("En boutique : présentez ce code (ou son QR code) au commerçant. En ligne : saisissez-le au moment de "
             "commander, rubrique « Vous avez une carte cadeau ? ». Elle peut servir en plusieurs fois."),
    ]
    if site_url:
        story.append(text(f"Solde de la carte : {site_url}"))
    return pdf.build(story, pagesize=A4, title=f"Carte cadeau {card.masked_code}", margin=20 * mm)
