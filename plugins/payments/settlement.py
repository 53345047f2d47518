"""What the association owes each shop for a period of online payments.

Sales: each shop's part (articles and fee, less what gift cards paid) of the orders
paid online in the period.
Refunds: done in the period, whenever the order was paid. Commission: the shop's
rate on sales less refunds, to the cent. Due: sales − refunds − commission.
Payments made in the shop are not here: that money never went through the association."""
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Sum
from oscar.core.loading import get_model

from backoffice.periods import bounds

from .models import Payment, Refund, ShopCommission
from .money import CENT, share

ShopOrder = get_model("order", "ShopOrder")
ZERO = Decimal("0.00")


@dataclass
class ShopSettlement:
    partner: object
    orders: int = 0
    sales: Decimal = ZERO
    refunds: Decimal = ZERO
    rate: Decimal = ZERO

    @property
    def net(self):
        return self.sales - self.refunds

    @property
    def commission(self):
        return share(self.net, self.rate)

    @property
    def due(self):
        return self.net - self.commission


def settlements(partners, start, end):
    """[ShopSettlement] for the shops with sales or refunds in [start, end], by name;
    three queries whatever the number of shops."""
    since, until = bounds(start, end)
    rows = {}

    def row(partner):
        return rows.setdefault(partner.pk, ShopSettlement(partner))

    partners_by_id = {partner.pk: partner for partner in partners}
    sales = (ShopOrder.objects.filter(partner__in=partners_by_id, order__online_payment__status=Payment.Status.PAID,
                                      order__online_payment__paid_at__gte=since, order__online_payment__paid_at__lt=until)
             .values("partner").annotate(orders=Count("id"), total=Sum(F("subtotal") + F("fulfilment_fee") - F("prepaid"))))
    for found in sales:
        settlement = row(partners_by_id[found["partner"]])
        settlement.orders, settlement.sales = found["orders"], (found["total"] or ZERO).quantize(CENT)
    refunds = (Refund.objects.filter(shop_order__partner__in=partners_by_id, status=Refund.Status.DONE,
                                     done_at__gte=since, done_at__lt=until)
               .values("shop_order__partner").annotate(total=Sum("amount")))
    for found in refunds:
        row(partners_by_id[found["shop_order__partner"]]).refunds = (found["total"] or ZERO).quantize(CENT)
    rates = dict(ShopCommission.objects.filter(partner__in=rows).values_list("partner", "rate"))
    for partner_id, settlement in rows.items():
        settlement.rate = rates.get(partner_id, ZERO)
    return sorted(rows.values(), key=lambda settlement: settlement.partner.name)


def totals(rows):
    return {"orders": sum(row.orders for row in rows),
            **{name: sum((getattr(row, name) for row in rows), ZERO) for name in ("sales", "refunds", "commission", "due")}}
