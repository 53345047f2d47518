"""The printable summary of an order taken by phone, handed to the customer by the
volunteer or the shop: each shop, its lines, what to pay it and how, the fulfilment,
the customer's name and phone, and the association's phone for any question."""
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from oscar_apps.order.statuses import OrderStatus
from townmarket import pdf
from townmarket.money import euros
from townmarket.town import town


def payment_notes(order, parts):
    """{shop order pk: how this shop's part is paid}, in words."""
    if order.status == OrderStatus.AWAITING_PAYMENT:
        text = _("À payer en ligne : le lien de paiement a été envoyé à %(email)s.") % {"email": order.email}
        return {part.shop_order.pk: text for part in parts}
    paid = sum((source.amount_debited for source in order.sources.all()), Decimal("0.00"))
    notes = {}
    for part in parts:
        shop_order = part.shop_order
        if paid >= order.total_incl_tax or not shop_order.amount_due:
            notes[shop_order.pk] = _("Déjà réglé.")
        elif (shop_order.fulfilment_details or {}).get("delivery_address"):
            notes[shop_order.pk] = _("À payer à la livraison : %(amount)s") % {"amount": euros(shop_order.amount_due)}
        else:
            notes[shop_order.pk] = _("À payer au retrait : %(amount)s") % {"amount": euros(shop_order.amount_due)}
    return notes


def fulfilment_lines(shop_order):
    details = shop_order.fulfilment_details or {}
    lines = [shop_order.fulfilment_label]
    for key in ("delivery_address", "address", "slot_label"):
        if details.get(key):
            lines.append(details[key])
    if details.get("opening_hours"):
        lines.append(" · ".join(details["opening_hours"]))
    if details.get("phone"):
        lines.append(_("Tél. %(phone)s") % {"phone": details["phone"]})
    return lines


def render_summary(order, parts, request=None):
    identity = town(request)
    styles = pdf.styles()
    text = lambda value, style="Normal": pdf.paragraph(value or "", styles[style])  # noqa: E731
    notes = payment_notes(order, parts)
    story = [
        text(identity.name, "Title"),
        text(_("Votre commande n° %(number)s") % {"number": order.number}, "Heading2"),
        text(order.phone_order_note),
        text(_("Commandée le %(date)s") % {"date": f"{timezone.localtime(order.date_placed):%d/%m/%Y à %H:%M}"}),
        Spacer(0, 4 * mm),
        text(_("Client : %(name)s") % {"name": order.customer_name}),
        text(_("Téléphone : %(phone)s") % {
            "phone": order.customer_phone.as_national if order.customer_phone else "—"}),
    ]
    if order.email:
        story.append(text(_("E-mail : %(email)s") % {"email": order.email}))
    total_due = Decimal("0.00")
    for part in parts:
        shop_order = part.shop_order
        rows = [[_("Qté"), _("Article"), _("Prix TTC")]]
        rows += [[str(line.quantity), text(line.description), euros(line.line_price_incl_tax)] for line in part.lines]
        if shop_order.fulfilment_fee:
            rows.append(["", text(_("Frais de retrait ou de livraison")), euros(shop_order.fulfilment_fee)])
        rows.append(["", text(_("Total pour ce commerce"), "Heading4"), euros(shop_order.total)])
        table = pdf.table(rows, colWidths=[15 * mm, 130 * mm, 30 * mm], repeatRows=1, style=[
            ("GRID", (0, 0), (-1, -2), 0.5, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
        ])
        block = [Spacer(0, 5 * mm), text(part.partner.name, "Heading3")]
        block += [text(line) for line in fulfilment_lines(shop_order)]
        block += [Spacer(0, 2 * mm), table, text(notes[shop_order.pk], "Heading4")]
        story.append(KeepTogether(block))
        total_due += shop_order.total
    story += [
        Spacer(0, 6 * mm),
        text(_("Total de la commande : %(amount)s") % {"amount": euros(total_due)}, "Heading3"),
        Spacer(0, 4 * mm),
        text(_("Une question sur cette commande ? Appelez %(association)s au %(phone)s.")
             % {"association": identity.association_name or identity.name, "phone": identity.phone}),
    ]
    return pdf.build(story, title=_("Commande %(number)s") % {"number": order.number})
