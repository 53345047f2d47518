"""The customer's confirmation e-mail, sent when the order is placed or, for an
online payment, when the payment is confirmed (then there is no request)."""
import logging

from oscar.core.loading import get_class

from oscar_apps.customer.utils import PublicSiteDispatcher
from oscar_apps.order import tracking
from oscar_apps.order.parts import shop_parts
from townmarket.absolute_urls import absolute_url

logger = logging.getLogger(__name__)
OrderDispatcher = get_class("order.utils", "OrderDispatcher")


def message_context(order, request=None):
    context = {"user": order.user, "order": order, "lines": order.lines.all(), "shop_parts": shop_parts(order)}
    if request is not None:
        context["request"] = request
    # A signed link: the order's page without an account or a login (order/tracking.py).
    path = tracking.path_for(order)
    context["status_path"] = path
    context["status_url"] = absolute_url(path, request)
    return context


def send_order_confirmation(order, request=None):
    """Into the outbox (townmarket.outbox), in the caller's transaction."""
    dispatcher = OrderDispatcher(logger=logger)
    dispatcher.dispatcher = PublicSiteDispatcher(logger=logger)  # the town's name, its sender name in From
    dispatcher.send_order_placed_email_for_user(order, message_context(order, request))
