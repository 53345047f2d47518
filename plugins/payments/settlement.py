"""Every sale of each shop over a period, and who owes whom.

A shop's part of an order is a sale of the period in which it was paid: online (the
card payment's date), at pickup or on delivery (the in-store payment's date, door
payments included), or, for a part the gift cards paid whole, the order's date. Its
amount is split by how it was paid:
- online: what Stripe collected for it (its articles and fee, less gift cards);
- at pickup / on delivery: what the shop received (InStorePayment);
- the shop's own gift cards and vouchers: money the shop received when the card was sold;
- the town card: money the association received, so it owes it to the shop.
(Cards are told apart through the gift_cards plugin's ledger when it is installed,
read through the app registry, never imported; without it a prepaid share counts as
the shop's own card.)
Refunds: done in the period (online parts only), whenever the order was paid.
Commission: the shop's rate on every sale less refunds, to the cent.
Town cards taken at the shop's counter (no order) are owed to the shop too, apart from
sales and commission.
Stripe's fees: each online payment's fee (fees.py), shared between the shops of its
order pro rata of their parts, to the cent; unknown until Stripe has told (« non
connus », counted apart and taken off nothing).
The association owes the shop: online − refunds − Stripe fees + town card (orders and
counter): what it actually received for the shop, since Stripe pays the association
the online money less its fee, as a shop's own bank does for a card at its counter.
The fee is the shop's cost of selling by card, like that one, and not the
association's: the commission stays a share of every sale, and Stripe keeps its fee
on a refunded payment too. The shop owes the association: the commission."""
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import Q, Sum
from oscar.core.loading import get_model

from backoffice.periods import bounds

from .fees import shares_of
from .models import Payment, Refund, ShopCommission
from .money import CENT, share

ShopOrder = get_model("order", "ShopOrder")
ZERO = Decimal("0.00")
TOWN_CARD = "ville"  # gift_cards.models.Kind.TOWN
AMOUNTS = ("online", "in_store", "shop_cards", "town_card", "sales", "refunds", "town_card_counter", "stripe_fees",
           "commission", "owed_to_shop", "owed_by_shop", "due")


@dataclass
class ShopSettlement:
    partner: object
    orders: int = 0
    online: Decimal = ZERO
    in_store: Decimal = ZERO
    shop_cards: Decimal = ZERO
    town_card: Decimal = ZERO
    refunds: Decimal = ZERO
    # Town cards taken at the shop's counter (« Encaisser une carte cadeau »), not an order:
    # owed by the association, but neither a marketplace sale nor under commission.
    town_card_counter: Decimal = ZERO
    rate: Decimal = ZERO
    stripe_fees: Decimal = ZERO  # the shop's shares of the fees known
    unknown_fees: int = 0  # its parts paid online whose payment's fee Stripe has not told yet

    @property
    def sales(self):
        return self.online + self.in_store + self.shop_cards + self.town_card

    @property
    def net(self):
        return self.sales - self.refunds

    @property
    def commission(self):
        return share(self.net, self.rate)

    @property
    def owed_to_shop(self):
        """What the association holds for the shop: online payments kept, less Stripe's fees, and town cards."""
        return self.online - self.refunds - self.stripe_fees + self.town_card + self.town_card_counter

    @property
    def owed_by_shop(self):
        return self.commission

    @property
    def due(self):
        """What the association pays the shop (negative: what the shop pays it)."""
        return self.owed_to_shop - self.owed_by_shop


def town_card_shares(shop_order_ids):
    """{shop_order_id: what town cards paid for it, net of what was given back}."""
    if not apps.is_installed("plugins.gift_cards") or not shop_order_ids:
        return {}
    entries = apps.get_model("gift_cards", "LedgerEntry").objects
    found = (entries.filter(shop_order__in=shop_order_ids, card__kind=TOWN_CARD)
             .values("shop_order").annotate(total=Sum("amount")))
    return {row["shop_order"]: -(row["total"] or ZERO) for row in found}


def town_cards_at_counter(partner_ids, since, until):
    """{partner_id: town-card money spent at the shop's counter in [since, until)}."""
    if not apps.is_installed("plugins.gift_cards"):
        return {}
    entries = apps.get_model("gift_cards", "LedgerEntry").objects
    found = (entries.filter(partner__in=partner_ids, card__kind=TOWN_CARD, kind="achat_en_magasin",
                            created_at__gte=since, created_at__lt=until)
             .values("partner").annotate(total=Sum("amount")))
    return {row["partner"]: -(row["total"] or ZERO) for row in found}


def card_shares(shop_order_ids):
    """{shop_order_id: what all gift cards paid for it, net}; None without the plugin."""
    if not apps.is_installed("plugins.gift_cards"):
        return None
    entries = apps.get_model("gift_cards", "LedgerEntry").objects
    found = entries.filter(shop_order__in=shop_order_ids).values("shop_order").annotate(total=Sum("amount"))
    return {row["shop_order"]: -(row["total"] or ZERO) for row in found}


def sold_in(partners, since, until):
    """The shop parts paid in [since, until), with their payments."""
    paid = Payment.objects.filter(status=Payment.Status.PAID)
    paid_online = Q(order__in=paid.values("order"))
    online = Q(order__in=paid.filter(paid_at__gte=since, paid_at__lt=until).values("order"))
    in_store = ~paid_online & Q(in_store_payment__recorded_at__gte=since, in_store_payment__recorded_at__lt=until)
    prepaid_whole = (~paid_online & Q(in_store_payment__isnull=True, prepaid__gt=0,
                                      order__date_placed__gte=since, order__date_placed__lt=until))
    parts = (ShopOrder.objects.filter(partner__in=partners).filter(online | in_store | prepaid_whole)
             .select_related("order__online_payment", "in_store_payment").distinct())
    return [part for part in parts if _paid_online(part) or _in_store(part) or part.amount_due <= ZERO]


def _paid_online(part):
    payment = getattr(part.order, "online_payment", None)
    return payment is not None and payment.status == Payment.Status.PAID


def _in_store(part):
    return getattr(part, "in_store_payment", None)


def settlements(partners, start, end):
    """[ShopSettlement] for the shops with sales or refunds in [start, end], by name;
    a handful of queries whatever the number of shops."""
    since, until = bounds(start, end)
    rows = {}
    partners_by_id = {partner.pk: partner for partner in partners}

    def row(partner_id):
        return rows.setdefault(partner_id, ShopSettlement(partners_by_id[partner_id]))

    parts = sold_in(partners_by_id, since, until)
    ids = [part.pk for part in parts]
    town, cards = town_card_shares(ids), card_shares(ids)
    fees = shares_of([part for part in parts if _paid_online(part)])
    for part in parts:
        paid_by_cards = part.prepaid if cards is None else cards.get(part.pk, ZERO)
        by_town = town.get(part.pk, ZERO)
        if not (_paid_online(part) or _in_store(part) or paid_by_cards):
            continue  # gift cards given back (a cancelled part): no sale
        settlement = row(part.partner_id)
        if _paid_online(part):
            settlement.online += part.amount_due
            fee = fees.get(part.pk)
            if fee is None and part.amount_due > 0:
                settlement.unknown_fees += 1
            else:
                settlement.stripe_fees += fee or ZERO
        elif _in_store(part):
            settlement.in_store += part.in_store_payment.amount
        settlement.town_card += by_town
        settlement.shop_cards += paid_by_cards - by_town
        settlement.orders += 1
    refunds = (Refund.objects.filter(shop_order__partner__in=partners_by_id, status=Refund.Status.DONE,
                                     done_at__gte=since, done_at__lt=until)
               .values("shop_order__partner").annotate(total=Sum("amount")))
    for found in refunds:
        row(found["shop_order__partner"]).refunds = (found["total"] or ZERO).quantize(CENT)
    for partner_id, total in town_cards_at_counter(partners_by_id, since, until).items():
        row(partner_id).town_card_counter = total.quantize(CENT)
    rates = dict(ShopCommission.objects.filter(partner__in=rows).values_list("partner", "rate"))
    for partner_id, settlement in rows.items():
        settlement.rate = rates.get(partner_id, ZERO)
        for name in ("online", "in_store", "shop_cards", "town_card"):
            setattr(settlement, name, getattr(settlement, name).quantize(CENT))
    return sorted(rows.values(), key=lambda settlement: settlement.partner.name)


def totals(rows):
    return {"orders": sum(row.orders for row in rows), "unknown_fees": sum(row.unknown_fees for row in rows),
            **{name: sum((getattr(row, name) for row in rows), ZERO) for name in AMOUNTS}}
