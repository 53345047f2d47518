"""The printable run sheet of a round: one row per stop, boxes to tick on the doorstep."""
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from townmarket import money, pdf
from townmarket.town import town

from .dates import date_label


def render_run_sheet(day, stops, request=None, site=None):
    """The run sheet of a town's round: `site`'s name on it (else the request's town's)."""
    styles = pdf.styles()

    def text(value, style="BodyText"):
        return pdf.paragraph(value or "", styles[style])

    title = f"Tournée du {date_label(day)}"
    story = [text(town(request, site=site).name, "Title"), text(title, "Heading2"),
             text(f"{len(stops)} adresse(s), {sum(len(s.parcels) for s in stops)} colis à collecter."),
             Spacer(0, 4 * mm)]
    rows = [["N°", "Client", "Adresse", "À collecter", "Colis", "À encaisser", "Instructions", "Livré", "Absent"]]
    for number, stop in enumerate(stops, start=1):
        order, address = stop.stop.order, stop.address
        phone = order.customer_phone.as_national if order.customer_phone else ""
        lines = [address.line1, address.line2, f"{address.postcode} {address.line4}"] if address else []
        shops = [f"{p.shop.name} ({p.shop.shop_page.street})" if getattr(p.shop, "shop_page", None) else p.shop.name
                 for p in stop.parcels]
        rows.append([
            str(number),
            text(f"{order.customer_name}\n{phone}\nCommande {order.number}"),
            text("\n".join(line for line in lines if line)),
            text("\n".join(shops)),
            text(f"{len(stop.parcels)} ({stop.articles} art.)"),
            text("Payé en ligne" if stop.paid_online else "\n".join(
                [f"{p.shop.name} : {money.euros(p.to_collect)}" for p in stop.parcels]
                + [f"Total : {money.euros(stop.to_collect)}"])),
            text(address.notes if address else ""),
            "", "",  # ticked by hand on the doorstep
        ])
    table = Table(rows, colWidths=[10 * mm, 45 * mm, 45 * mm, 52 * mm, 20 * mm, 40 * mm, 37 * mm, 14 * mm, 14 * mm],
                  repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), pdf.REGULAR),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story.append(table if stops else text("Aucune livraison prévue ce jour-là."))
    return pdf.build(story, pagesize=landscape(A4), title=title, margin=10 * mm)
