"""Issuing cards when their order is paid, giving back what cards paid when a shop
cancels, and the association's permissions."""
from django.dispatch import receiver
from oscar.core.loading import get_model

from backoffice import roles
from townmarket.signals import order_paid, shop_order_status_changed

from . import issuing, ledger, lines

ShopOrder = get_model("order", "ShopOrder")
ADJUST = "gift_cards.adjust_giftcard"
REPORTS = "gift_cards.view_giftcard_reports"
SETTINGS = ["gift_cards.change_giftcardsettings", "gift_cards.view_giftcardsettings"]  # Paramètres > Cartes cadeaux
GRANTS = {roles.ASSOCIATION: [ADJUST, REPORTS, *SETTINGS]}
HANDED_OVER = (ShopOrder.Status.COLLECTED, ShopOrder.Status.DELIVERED)


def setup(**kwargs):
    lines.ensure_options()


@receiver(order_paid)
def issue_paid_cards(sender, order, **kwargs):
    issuing.issue_for(order)


@receiver(shop_order_status_changed)
def on_shop_order_status(sender, shop_order, new_status, **kwargs):
    if new_status in HANDED_OVER:  # paid at pickup: the shop has the money now
        issuing.issue_for(shop_order.order, shop_order.partner)
    elif new_status == ShopOrder.Status.CANCELLED:
        ledger.give_back(shop_order)
        ledger.void_issued(shop_order)
