"""How a shop's part of an order (ShopOrder) moves from « nouvelle » to its end.

nouvelle → en préparation → prête → retirée | livrée; any of the first three → annulée.
Each move is one conditional UPDATE on the expected current status, so two people
clicking at once cannot both move it (the second gets StatusConflict). Stock follows:
handing over consumes the allocation, cancelling releases it.
"""
import logging

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.apps.partner.exceptions import InvalidStockAdjustment

from invoicing.issuing import issue_credit_note
from townmarket.signals import shop_order_status_changed

from .models import ShopOrder
from .notifications import notify_customer_of_status
from .parts import shop_lines

logger = logging.getLogger(__name__)

Status = ShopOrder.Status
TRANSITIONS = {
    Status.NEW: (Status.PREPARING, Status.CANCELLED),
    Status.PREPARING: (Status.READY, Status.CANCELLED),
    Status.READY: (Status.COLLECTED, Status.DELIVERED, Status.CANCELLED),
}
NOTIFY_CUSTOMER = {Status.READY, Status.CANCELLED}


class StatusConflict(Exception):
    """The move is not allowed from the shop order's current status."""


def next_statuses(shop_order):
    return list(TRANSITIONS.get(shop_order.status, ()))


@transaction.atomic
def change_status(shop_order, new_status, user=None, notify_customer=True):
    """Move one shop's order; `notify_customer=False` when the customer already knows
    (they abandoned their own online payment)."""
    old_status = shop_order.status
    if new_status not in TRANSITIONS.get(old_status, ()):
        raise StatusConflict(_("Cette commande ne peut pas passer de « %(old)s » à « %(new)s ».") % {
            "old": Status(old_status).label, "new": Status(new_status).label if new_status in Status.values else new_status,
        })
    moved = ShopOrder.objects.filter(pk=shop_order.pk, status=old_status).update(status=new_status)
    if not moved:
        raise StatusConflict(_("Cette commande vient d'être modifiée par quelqu'un d'autre. Rechargez la page."))
    shop_order.status = new_status
    if new_status == Status.CANCELLED:
        _adjust_stock(shop_order, "cancel_allocation")
        issue_credit_note(shop_order, reason=_("Commande annulée"))  # when it was invoiced
    elif new_status in (Status.COLLECTED, Status.DELIVERED):
        _adjust_stock(shop_order, "consume_allocation")

    if notify_customer and new_status in NOTIFY_CUSTOMER:
        notify_customer_of_status(shop_order)  # into the outbox, with the change

    def after_commit():
        shop_order_status_changed.send(sender=ShopOrder, shop_order=shop_order, old_status=old_status,
                                       new_status=new_status, user=user)

    transaction.on_commit(after_commit)
    return shop_order


def _adjust_stock(shop_order, method):
    for line in shop_lines(shop_order):
        if line.stockrecord is None:
            continue
        try:
            getattr(line.stockrecord, method)(line.quantity)
        except InvalidStockAdjustment:  # stock corrected by hand meanwhile: nothing left to consume
            logger.warning("Stock of %s not adjusted (%s) for order %s", line.stockrecord, method, shop_order)
