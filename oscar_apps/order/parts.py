"""An order seen shop by shop: each ShopOrder with only its own lines."""
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum


@dataclass
class ShopPart:
    shop_order: object
    lines: list

    @property
    def partner(self):
        return self.shop_order.partner


def shop_lines(shop_order):
    """One shop's lines of its order (with their stock record and product)."""
    return (shop_order.order.lines.filter(partner_id=shop_order.partner_id)
            .select_related("stockrecord", "product").order_by("pk"))


def shop_parts(order):
    """[ShopPart] for every shop of the order, in two queries whatever the number
    of shops (lines are fetched once and split by partner)."""
    shop_orders = order.shop_orders.select_related("partner", "partner__shop_page").prefetch_related("partner__users")
    lines = list(order.lines.select_related("product").order_by("pk"))
    return [
        ShopPart(shop_order, [line for line in lines if line.partner_id == shop_order.partner_id])
        for shop_order in shop_orders
    ]


def amount_due(order):
    """What is left to pay on the order once its part payments made at checkout (gift
    cards, ShopOrder.prepaid) are taken off: what an online payment charges."""
    prepaid = order.shop_orders.aggregate(total=Sum("prepaid"))["total"] or Decimal("0.00")
    return max(order.total_incl_tax - prepaid, Decimal("0.00")).quantize(Decimal("0.01"))
