"""The association's paper: the flyer (every live shop by kind, how to order, the
association's contact) and each shop's window poster, as PDFs made from live data
with townmarket.pdf (real text, embedded font, QR codes to absolute URLs)."""
from dataclasses import dataclass

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

from shops_pages.models import ShopPage
from townmarket import extensions, pdf
from townmarket.absolute_urls import absolute_url
from townmarket.text import sort_key
from townmarket.town import town


@dataclass(frozen=True)
class Format:
    pagesize: tuple
    margin: float
    qr: float      # a shop's QR code
    big_qr: float  # the marketplace's
    scale: float   # of the text


FORMATS = {
    "A4": Format(A4, 14 * mm, 24 * mm, 34 * mm, 1.0),
    # A5 is the page of an A4 sheet folded in two: the same content, smaller.
    "A5": Format(A5, 10 * mm, 20 * mm, 28 * mm, 0.8),
}


def live_shops():
    return (ShopPage.objects.live().public().select_related("kind").prefetch_related("opening_hours")
            .order_by("title"))


def by_kind(shops):
    """[(kind name, [shops])], kinds and shops in French alphabetical order; shops
    with no kind last, under « Autres commerces »."""
    groups = {}
    for shop in shops:
        groups.setdefault(shop.kind.name if shop.kind else "", []).append(shop)
    kinds = sorted((name for name in groups if name), key=sort_key)
    ordered = [(name, groups[name]) for name in kinds]
    if "" in groups:
        ordered.append((_("Autres commerces"), groups[""]))
    return [(name, sorted(shops, key=lambda s: sort_key(s.title))) for name, shops in ordered]


def shop_url(shop, request=None):
    return absolute_url(shop.get_url(request=request) or shop.url_path, request)


def site_address(request=None):
    """« marche.example.fr »: the marketplace's address as people type it."""
    return absolute_url("/", request).split("://", 1)[1].rstrip("/")


def _styles(scale):
    sheet = pdf.styles()
    body = pdf.style(sheet["BodyText"], "flyer-body", fontSize=11 * scale, leading=14 * scale, spaceBefore=0,
                     spaceAfter=0)
    return {
        "title": pdf.style(sheet["Title"], "flyer-title", fontSize=22 * scale, leading=26 * scale, spaceAfter=2 * mm),
        "subtitle": pdf.style(sheet["Heading2"], "flyer-subtitle", alignment=TA_CENTER, fontSize=13 * scale,
                              leading=16 * scale, spaceBefore=0),
        "kind": pdf.style(sheet["Heading2"], "flyer-kind", fontSize=13 * scale, leading=16 * scale,
                          spaceBefore=4 * mm, spaceAfter=1.5 * mm, textColor=colors.HexColor("#1f5f3a")),
        "shop": pdf.style(body, "flyer-shop", fontName=pdf.BOLD, fontSize=12.5 * scale, leading=15.5 * scale),
        "body": body,
        "strong": pdf.style(body, "flyer-strong", fontName=pdf.BOLD),
        "small": pdf.style(body, "flyer-small", fontSize=10 * scale, leading=12.5 * scale, textColor=colors.HexColor("#333333")),
    }


def render_flyer(size="A4", request=None):
    """The flyer's PDF: `size` is « A4 » or « A5 » (KeyError otherwise)."""
    layout = FORMATS[size]
    identity = town(request)
    styles = _styles(layout.scale)
    text = pdf.paragraph
    width = layout.pagesize[0] - 2 * layout.margin - 12  # the frame's own padding: 6 pt each side

    how_to_order = [
        text(_("Commandez en ligne"), styles["strong"]),
        text(site_address(request), styles["shop"]),
        text(_("Choisissez vos produits chez un ou plusieurs commerçants, en une seule commande."),
             styles["body"]),
        Spacer(0, 2 * mm),
        text(_("Commandez par téléphone"), styles["strong"]),
        text(_("Appelez l'association au %(phone)s : nous prenons votre commande et la transmettons aux "
               "commerçants. Vous pouvez aussi appeler directement le commerce.") % {"phone": identity.phone},
             styles["body"]),
    ]
    for section in extensions.flyer_sections(request):
        how_to_order += [Spacer(0, 2 * mm), text(f"{section.title} : {section.text}", styles["body"])]
    header = pdf.table([[how_to_order, pdf.qr_code(absolute_url("/", request), layout.big_qr)]], [
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("BOX", (0, 0), (-1, -1), 0.5, colors.grey), ("LEFTPADDING", (0, 0), (0, 0), 3 * mm),
        ("TOPPADDING", (0, 0), (-1, -1), 2 * mm), ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
    ], colWidths=[width - layout.big_qr - 4 * mm, layout.big_qr + 4 * mm])

    story = [text(identity.name, styles["title"]), text(_("Vos commerçants près de chez vous"), styles["subtitle"]),
             Spacer(0, 3 * mm), header]
    for kind, shops in by_kind(live_shops()):
        rows = [[_shop_cell(shop, styles), pdf.qr_code(shop_url(shop, request), layout.qr)] for shop in shops]
        table = pdf.table(rows, [
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("LINEBELOW", (0, 0), (-1, -2), 0.25, colors.lightgrey),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5 * mm), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 * mm),
        ], colWidths=[width - layout.qr - 2 * mm, layout.qr + 2 * mm])
        story += [CondPageBreak(layout.qr + 15 * mm), text(kind, styles["kind"]), table]

    contact = [identity.association_name, identity.association_address,
               " · ".join(part for part in [identity.phone, identity.email] if part)]
    story += [Spacer(0, 5 * mm), KeepTogether([text(_("Contact"), styles["strong"])]
                                              + [text(line, styles["body"]) for line in contact if line])]
    return pdf.build(story, pagesize=layout.pagesize, margin=layout.margin,
                     title=_("%(town)s : les commerces participants") % {"town": identity.name},
                     author=identity.association_name)


def _shop_cell(shop, styles):
    lines = [pdf.paragraph(shop.title, styles["shop"])]
    details = [shop.address_line, shop.phone and _("Tél. %(phone)s") % {"phone": shop.phone}]
    lines += [pdf.paragraph(line, styles["body"]) for line in details if line]
    if shop.opening_hours_lines:
        lines.append(pdf.paragraph(" · ".join(shop.opening_hours_lines), styles["small"]))
    return lines


def render_poster(shop, request=None):
    """The A4 poster for `shop`'s window: its QR code, name, « Commandez en ligne »
    and the marketplace's address."""
    identity = town(request)
    sheet = pdf.styles()
    centred = {"alignment": TA_CENTER}
    name = pdf.style(sheet["Title"], "poster-name", fontSize=34, leading=40, **centred)
    call = pdf.style(sheet["Title"], "poster-call", fontSize=30, leading=36, spaceBefore=6 * mm,
                     textColor=colors.HexColor("#1f5f3a"), **centred)
    line = pdf.style(sheet["BodyText"], "poster-line", fontSize=16, leading=22, **centred)
    address = pdf.style(sheet["Title"], "poster-address", fontSize=24, leading=30, **centred)
    qr = pdf.table([[pdf.qr_code(shop_url(shop, request), 110 * mm)]], [("ALIGN", (0, 0), (-1, -1), "CENTER")],
                   colWidths=[180 * mm])
    story = [
        pdf.paragraph(identity.name, line),
        Spacer(0, 6 * mm),
        pdf.paragraph(shop.title, name),
        pdf.paragraph(shop.address_line, line),
        pdf.paragraph(_("Commandez en ligne"), call),
        qr,
        pdf.paragraph(_("Scannez ce code avec votre téléphone, ou rendez-vous sur"), line),
        pdf.paragraph(site_address(request), address),
        Spacer(0, 4 * mm),
        pdf.paragraph(_("Par téléphone : %(phone)s")
                      % {"phone": shop.phone or identity.phone}, line),
    ]
    return pdf.build(story, pagesize=A4, margin=15 * mm, title=f"{shop.title} — {_('Commandez en ligne')}",
                     author=identity.association_name)
