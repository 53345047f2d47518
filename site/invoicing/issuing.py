"""Issuing a shop's invoice for its part of an order, and credit notes against it.

    issue_for_order(order)                   every shop's invoice: the order reached its shops
    issue_invoice(shop_order)                one shop's (once: a second call returns it)
    issue_credit_note(shop_order, amount, reason)
                                             an avoir for `amount` TTC (None: what is left
                                             to credit), referring to the invoice

An order placed without an online payment is invoiced by the task worker a few seconds
after it is committed (invoicing.tasks.issue_invoices, enqueued in the order's
transaction; `manage.py issue_missing_invoices` catches up whatever a lost task left),
so the customer's request waits for no shop's series. Each document is saved in one
transaction with its number, taken under the series' row lock, or neither. What a
document says is computed once and frozen in `Document.content`.
"""
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from townmarket.money import euros
from townmarket.town import town

from . import amounts
from .models import Document, Kind, Sequence
from .numbering import lock_series, next_number

ShopOrder = get_model("order", "ShopOrder")
Line = get_model("order", "Line")
ZERO = amounts.ZERO


def is_sold(order):
    """Whether the order reached its shops, so that each owes an invoice: not while its
    online payment is awaited, nor once that payment was abandoned."""
    from oscar_apps.order.statuses import HIDDEN_FROM_SHOPS

    return order.status not in HIDDEN_FROM_SHOPS


def issue_for_order(order, paid_online=""):
    """Each shop's invoice for `order`, in the order of the shops' ids (so two orders
    of the same shops lock their series in the same order: no deadlock).
    `paid_online`: the means of the online payment that just paid it (« Carte bancaire »)."""
    shop_orders = ShopOrder.objects.filter(order=order).select_related("order", "partner", "partner__shop_page")
    return [issue_invoice(shop_order, paid_online) for shop_order in sorted(shop_orders, key=lambda so: so.partner_id)]


@transaction.atomic
def issue_invoice(shop_order, paid_online=""):
    existing = Document.objects.filter(shop_order=shop_order, kind=Kind.INVOICE).first()
    if existing is not None:
        return existing
    partner = shop_order.partner
    sequence = lock_series(partner, Kind.INVOICE)
    # Issued meanwhile by someone who held the lock (the task and the cron job at once)?
    existing = Document.objects.filter(shop_order=shop_order, kind=Kind.INVOICE).first()
    if existing is not None:
        return existing
    rank, number = next_number(partner, Kind.INVOICE, sequence)
    issued_at = timezone.now()
    content = invoice_content(shop_order, number, issued_at, paid_online)
    return Document.objects.create(
        kind=Kind.INVOICE, number=number, sequence_number=rank, partner=partner, shop_order=shop_order,
        issued_at=issued_at, total_incl_tax=Decimal(content["totals"]["ttc"]), content=content)


@transaction.atomic
def issue_credit_note(shop_order, amount=None, reason=""):
    """An avoir for `amount` TTC of the shop order's invoice, at most what is left to
    credit on it (None: all of it). None when nothing was invoiced (an order whose
    online payment never came) or nothing is left (a refund after the cancellation's
    credit note)."""
    invoice = Document.objects.filter(shop_order=shop_order, kind=Kind.INVOICE).first()
    if invoice is None and is_sold(shop_order.order):
        # Cancelled or refunded before the worker invoiced it: its invoice first, then the
        # avoir. (Only orders paid at the shop wait for the worker: one paid online is
        # invoiced in the transaction that confirms its payment, receivers.py.)
        invoice = issue_invoice(shop_order)
    if invoice is None:
        return None
    # The series' lock first: two credit notes of one invoice are computed one after the other.
    Sequence.objects.bulk_create([Sequence(partner_id=invoice.partner_id, kind=Kind.CREDIT_NOTE)],
                                 ignore_conflicts=True)
    list(Sequence.objects.select_for_update().filter(partner_id=invoice.partner_id, kind=Kind.CREDIT_NOTE))
    credited = invoice.credit_notes.aggregate(total=Sum("total_incl_tax"))["total"] or ZERO
    left = invoice.total_incl_tax - amounts.cents(credited)
    amount = left if amount is None else min(amounts.cents(amount), left)
    if amount <= ZERO:
        return None
    rank, number = next_number(invoice.partner, Kind.CREDIT_NOTE)
    issued_at = timezone.now()
    content = credit_note_content(invoice, amount, left, number, issued_at, reason)
    return Document.objects.create(
        kind=Kind.CREDIT_NOTE, number=number, sequence_number=rank, partner_id=invoice.partner_id,
        shop_order=shop_order, invoice=invoice, issued_at=issued_at, total_incl_tax=amount, content=content)


# -- what an invoice says ------------------------------------------------------------------
def seller(partner):
    shop_page = getattr(partner, "shop_page", None)
    return {
        "name": partner.legal_name or partner.name,
        "trade_name": partner.name,
        "legal_form": partner.legal_form,
        "siret": partner.siret,
        "vat_number": partner.vat_number,
        "vat_exempt": partner.vat_exempt,
        "address": partner.legal_address or (shop_page.address_line if shop_page else ""),
    }


def buyer(order):
    address = order.shipping_address
    lines = []
    if address is not None:
        lines = [part for part in [address.line1, address.line2, f"{address.postcode} {address.line4}".strip()] if part]
    user = order.user
    # Name and address, as the law asks; no e-mail or phone: an invoice is kept ten years and
    # stays as issued when the customer erases their account.
    name = order.customer_name or (user.get_full_name() if user else "") or _("Client")
    return {"name": name, "address": ", ".join(lines)}


def platform(order=None):
    """The marketplace the sale was made on: the order's town (Order.town), else the default one."""
    identity = town(site=getattr(order, "town", None))
    return {"name": identity.name, "operator": identity.association_name, "address": identity.association_address}


def str_amounts(row):
    return {key: (str(value) if isinstance(value, Decimal) else value) for key, value in row.items()}


def line_rows(shop_order, exempt):
    rows = []
    lines = (Line.objects.filter(order_id=shop_order.order_id, partner_id=shop_order.partner_id)
             .select_related("stockrecord").order_by("pk"))
    for line in lines:
        rate = amounts.EXEMPT if exempt else (line.stockrecord.vat_rate if line.stockrecord else "20.0")
        ttc = amounts.cents(line.line_price_incl_tax)
        ht, vat = amounts.split_ttc(ttc, rate)
        unit_ht, _unit_vat = amounts.split_ttc(line.unit_price_incl_tax or ZERO, rate)
        rows.append({"title": line.description or line.title, "quantity": line.quantity,
                     "unit_ht": unit_ht, "unit_ttc": amounts.cents(line.unit_price_incl_tax or ZERO),
                     "rate": rate, "ht": ht, "vat": vat, "ttc": ttc})
    return rows


def fee_rows(shop_order, rows, exempt):
    """The fee split between the lines' rates in proportion to their TTC (amounts.py)."""
    fee = amounts.cents(shop_order.fulfilment_fee or ZERO)
    if fee <= ZERO:
        return []
    if exempt:
        weights = {amounts.EXEMPT: Decimal(1)}
    else:
        weights = {entry["rate"]: entry["ttc"] for entry in amounts.rate_totals(rows)} or {"20.0": Decimal(1)}
    label = _("Frais : %(what)s") % {"what": shop_order.fulfilment_label}
    result = []
    for rate, share in amounts.share_out(fee, weights).items():
        if share <= ZERO:
            continue
        ht, vat = amounts.split_ttc(share, rate)
        result.append({"title": label, "quantity": 1, "unit_ht": ht, "unit_ttc": share, "rate": rate,
                       "ht": ht, "vat": vat, "ttc": share})
    return result


def payments(shop_order, total, paid_online):
    """How this part is or will be paid: what was paid when ordering (a gift card…),
    what was paid online, or what is left to pay at the shop or on delivery."""
    sources = list(shop_order.order.sources.select_related("source_type").order_by("pk"))
    if paid_online and sources:
        sources = sources[:-1]  # the online payment's own, recorded just before confirming
    prepaid = amounts.cents(shop_order.prepaid or ZERO)
    result = []
    if prepaid > ZERO:
        names = sorted({source.source_type.name for source in sources})
        result.append({"label": _("Réglé à la commande (%(means)s)") % {"means": ", ".join(names)},
                       "amount": str(prepaid)})
    left = max(total - prepaid, ZERO)
    if left > ZERO:
        if paid_online:
            result.append({"label": _("Payé en ligne (%(means)s) le %(date)s") % {
                "means": paid_online, "date": timezone.localdate().strftime("%d/%m/%Y")}, "amount": str(left)})
        else:
            result.append({"label": _("À régler au commerce, au retrait ou à la livraison"), "amount": str(left)})
    return result


def mentions(seller_identity, paid_online, rows=()):
    found = []
    if seller_identity["vat_exempt"]:
        found.append(_("TVA non applicable, art. 293 B du CGI."))
    if any(row["rate"] == amounts.OUT_OF_SCOPE for row in rows):
        found.append(_("Carte cadeau d'un montant (bon à usages multiples) : hors champ de la TVA à sa vente, "
                       "art. 256 ter du CGI ; la TVA est due sur les achats payés avec elle."))
    found.append(_("Paiement comptant : pas d'escompte pour paiement anticipé."))
    if not paid_online:
        found.append(_("Client professionnel : en cas de retard de paiement, pénalités au taux d'intérêt de la "
                       "BCE majoré de 10 points et indemnité forfaitaire de 40 € pour frais de recouvrement "
                       "(art. L441-10 du Code de commerce)."))
    return found


def invoice_content(shop_order, number, issued_at, paid_online):
    order = shop_order.order
    identity = seller(shop_order.partner)
    exempt = identity["vat_exempt"]
    lines = line_rows(shop_order, exempt)
    fees = fee_rows(shop_order, lines, exempt)
    every_row = lines + fees
    totals = amounts.grand_totals(every_row)
    return {
        "kind": Kind.INVOICE.value,
        "number": number,
        "issued_at": timezone.localtime(issued_at).isoformat(),  # the local day is the date shown
        "sale_date": timezone.localtime(order.date_placed).date().isoformat(),
        "order_number": order.number,
        "seller": identity,
        "buyer": buyer(order),
        "platform": platform(order),
        "fulfilment": shop_order.fulfilment_label,
        "lines": [str_amounts(row) for row in lines],
        "fees": [str_amounts(row) for row in fees],
        "rates": [str_amounts(row) for row in amounts.rate_totals(every_row)],
        "totals": str_amounts(totals),
        "payments": payments(shop_order, totals["ttc"], paid_online),
        "mentions": mentions(identity, paid_online, lines),
    }


def credit_note_content(invoice, amount, left, number, issued_at, reason):
    """All of what is left: the invoice's rates as they stand; a part: shared between
    the invoice's rates in proportion to their TTC (amounts.share_out)."""
    frozen = invoice.content
    rates = [{key: (Decimal(value) if key != "rate" else value) for key, value in row.items()}
             for row in frozen["rates"]]
    if amount == invoice.total_incl_tax:
        rows = rates
    else:
        shares = amounts.share_out(amount, {row["rate"]: row["ttc"] for row in rates})
        rows = []
        for rate, share in shares.items():
            if share <= ZERO:
                continue
            ht, vat = amounts.split_ttc(share, rate)
            rows.append({"rate": rate, "ht": ht, "vat": vat, "ttc": share})
    lines = [{"title": _("%(reason)s (TVA %(rate)s)") % {
                  "reason": reason or _("Avoir"), "rate": amounts.rate_label(row["rate"])},
              "quantity": 1, "unit_ht": row["ht"], "unit_ttc": row["ttc"], **row} for row in rows]
    return {
        "kind": Kind.CREDIT_NOTE.value,
        "number": number,
        "issued_at": timezone.localtime(issued_at).isoformat(),  # the local day is the date shown
        "sale_date": frozen["sale_date"],
        "order_number": frozen["order_number"],
        "invoice_number": invoice.number,
        "invoice_date": frozen["issued_at"],
        "reason": reason,
        "seller": frozen["seller"],
        "buyer": frozen["buyer"],
        "platform": frozen["platform"],
        "fulfilment": frozen["fulfilment"],
        "lines": [str_amounts(row) for row in lines],
        "fees": [],
        "rates": [str_amounts(row) for row in amounts.rate_totals(rows)],
        "totals": str_amounts(amounts.grand_totals(rows)),
        "payments": [{"label": _("Montant remboursé ou à déduire"), "amount": str(amount)}],
        "mentions": ([_("TVA non applicable, art. 293 B du CGI.")] if frozen["seller"]["vat_exempt"] else []) + [
            _("Avoir sur la facture %(invoice)s ; reste à créditer après cet avoir : %(left)s.") % {
                "invoice": invoice.number, "left": euros(left - amount)}],
    }
