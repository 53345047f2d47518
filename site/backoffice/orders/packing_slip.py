"""A one-page PDF the merchant prints and slips into the bag or parcel."""
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from townmarket import pdf
from townmarket.money import euros
from townmarket.town import town


def render_packing_slip(shop_order, lines, request=None):
    order = shop_order.order
    shop_page = getattr(shop_order.partner, "shop_page", None)
    styles = pdf.styles()
    text = lambda value, style="Normal": pdf.paragraph(value or "", styles[style])  # noqa: E731

    story = [
        text(town(request).name, "Title"),
        text(f"Bon de préparation — commande {order.number}", "Heading2"),
        text(f"{shop_order.partner.name}" + (f" · {shop_page.address_line}" if shop_page else "")),
        text(f"Commande du {timezone.localtime(order.date_placed):%d/%m/%Y à %H:%M}"),
        text(order.phone_order_note),
        Spacer(0, 6 * mm),
        text("Client", "Heading3"),
        text(order.customer_name or order.email),
        text(f"Téléphone : {order.customer_phone.as_national if order.customer_phone else '—'}"),
        text(f"E-mail : {order.email}"),
        text(f"Retrait ou livraison : {shop_order.fulfilment_label}"),
    ]
    address = shop_order.fulfilment_details.get("delivery_address") if shop_order.fulfilment_details else None
    if address:
        story.append(text(f"Adresse de livraison : {address}"))
        notes = order.shipping_address.notes if order.shipping_address_id else ""
        if notes:
            story.append(text(f"Instructions : {notes}"))
    rows = [["Préparé", "Qté", "Article", "Réf.", "Prix TTC"]]
    rows += [["", str(line.quantity), text(line.title), line.partner_sku or "",
              euros(line.line_price_incl_tax)] for line in lines]
    rows.append(["", "", text("Total de ce commerce", "Heading4"), "", euros(shop_order.subtotal)])
    table = Table(rows, colWidths=[18 * mm, 12 * mm, 95 * mm, 25 * mm, 25 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), pdf.REGULAR),
        ("GRID", (0, 0), (-1, -2), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
    ]))
    story += [Spacer(0, 6 * mm), table]

    return pdf.build(story, pagesize=A4, title=f"Commande {order.number} — {shop_order.partner.name}", margin=15 * mm)
