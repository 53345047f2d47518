"""Permissions for the association, and the refund owed when a shop cancels its
part of an order already paid online."""
import logging

from django.dispatch import receiver
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from backoffice import roles
from townmarket.signals import shop_order_status_changed

from .refunds import RefundRefused, paid_online, refund, refundable

logger = logging.getLogger(__name__)
ShopOrder = get_model("order", "ShopOrder")
SET_COMMISSION = "payments.set_commission"
EXPORT_TRANSFERS = "payments.export_transfers"
GRANTS = {roles.ASSOCIATION: [SET_COMMISSION, EXPORT_TRANSFERS, "payments.change_payoutsettings",
                              "payments.view_payoutsettings"]}


@receiver(shop_order_status_changed)
def refund_cancelled_part(sender, shop_order, new_status, user=None, **kwargs):
    """A shop cancels what the customer already paid online: its part is refunded in
    full at once (the customer's cancellation e-mail says so)."""
    if new_status != ShopOrder.Status.CANCELLED or paid_online(shop_order) is None:
        return
    left = refundable(shop_order)
    if left <= 0:
        return
    try:
        refund(shop_order, left, _("Commande annulée par le commerce"), user)
    except RefundRefused as refusal:
        logger.error("Order %s cancelled but not refunded: %s", shop_order, refusal.message)
