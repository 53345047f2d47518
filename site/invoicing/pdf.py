"""An invoice's or credit note's PDF, drawn from its frozen content only (never from the
order or the shop as they are today), through the one PDF helper."""
import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from oscar_apps.partner.legal_identity import format_siret
from townmarket import pdf
from townmarket.money import euros

from .amounts import rate_label


def _date(iso):
    return datetime.date.fromisoformat(iso[:10]).strftime("%d/%m/%Y")


def render(document):
    content = document.content
    credit_note = document.is_credit_note
    styles = pdf.styles()
    small = pdf.style(styles["Normal"], "Small", fontSize=8, leading=10)
    text = lambda value, style="Normal": pdf.paragraph(value or "", styles[style] if isinstance(style, str) else style)  # noqa: E731

    seller = content["seller"]
    buyer = content["buyer"]
    title = (_("Avoir n° %(number)s") if credit_note else _("Facture n° %(number)s")) % {"number": content["number"]}
    story = [text(title, "Title")]
    if credit_note:
        story.append(text(_("Se rapporte à la facture n° %(invoice)s du %(date)s.") % {
            "invoice": content["invoice_number"], "date": _date(content["invoice_date"])}))
        if content.get("reason"):
            story.append(text(_("Motif : %(reason)s") % {"reason": content["reason"]}))
    story.append(text(_("Date d'émission : %(issued)s — date de la vente : %(sale)s — commande n° %(order)s") % {
        "issued": _date(content["issued_at"]), "sale": _date(content["sale_date"]), "order": content["order_number"]}))
    story.append(Spacer(0, 4 * mm))

    seller_lines = [seller["name"]]
    if seller["trade_name"] and seller["trade_name"] != seller["name"]:
        seller_lines.append(_("Enseigne : %(name)s") % {"name": seller["trade_name"]})
    if seller["legal_form"]:
        seller_lines.append(seller["legal_form"])
    seller_lines.append(seller["address"])
    seller_lines.append(_("SIRET : %(siret)s") % {"siret": format_siret(seller["siret"]) or _("non renseigné")})
    if seller["vat_number"]:
        seller_lines.append(_("N° de TVA intracommunautaire : %(number)s") % {"number": seller["vat_number"]})
    buyer_lines = [buyer["name"], buyer["address"]]
    parties = pdf.table(
        [[text(_("Vendeur"), "Heading4"), text(_("Client"), "Heading4")],
         [text("\n".join(line for line in seller_lines if line)), text("\n".join(line for line in buyer_lines if line))]],
        colWidths=[90 * mm, 90 * mm], style=[("VALIGN", (0, 0), (-1, -1), "TOP")])
    story += [parties, Spacer(0, 4 * mm)]

    rows = [[_("Désignation"), _("Qté"), _("P.U. HT"), _("TVA"), _("Total HT"), _("Total TTC")]]
    for row in content["lines"] + content["fees"]:
        rows.append([text(row["title"]), str(row["quantity"]), euros(row["unit_ht"]), rate_label(row["rate"]),
                     euros(row["ht"]), euros(row["ttc"])])
    story.append(pdf.table(rows, colWidths=[70 * mm, 12 * mm, 24 * mm, 16 * mm, 28 * mm, 30 * mm], repeatRows=1,
                           style=[("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                                  ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                                  ("ALIGN", (1, 0), (-1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(Spacer(0, 4 * mm))

    totals = [[_("Taux de TVA"), _("Base HT"), _("TVA"), _("Total TTC")]]
    for row in content["rates"]:
        totals.append([rate_label(row["rate"]), euros(row["ht"]), euros(row["vat"]), euros(row["ttc"])])
    whole = content["totals"]
    totals.append([_("Total"), euros(whole["ht"]), euros(whole["vat"]), euros(whole["ttc"])])
    story.append(pdf.table(totals, colWidths=[40 * mm, 40 * mm, 40 * mm, 40 * mm],
                           style=[("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                                  ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                                  ("FONT", (0, -1), (-1, -1), pdf.BOLD), ("ALIGN", (1, 0), (-1, -1), "RIGHT")]))
    label = _("Montant de l'avoir TTC : %(total)s") if credit_note else _("Total à payer TTC : %(total)s")
    story += [Spacer(0, 3 * mm), text(label % {"total": euros(Decimal(whole["ttc"]))}, "Heading3")]

    story.append(text(_("Règlement"), "Heading4"))
    for payment in content["payments"]:
        story.append(text(f"{payment['label']} : {euros(Decimal(payment['amount']))}"))
    story.append(Spacer(0, 3 * mm))
    for mention in content["mentions"]:
        story.append(text(mention, small))
    place = content["platform"]
    story.append(text(_("Vente conclue sur « %(market)s », place de marché opérée par %(operator)s%(address)s, "
                        "intermédiaire : le vendeur est le commerce nommé ci-dessus.") % {
        "market": place["name"], "operator": place["operator"],
        "address": f", {place['address']}" if place.get("address") else ""}, small))
    return pdf.build(story, title=title, author=seller["name"])
