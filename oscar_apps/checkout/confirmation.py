"""The customer's confirmation e-mail, sent when the order is placed or, for an
online payment, when the payment is confirmed (then there is no request).

queue_order_emails(order): what the order's request does instead of rendering the
shops' and the customer's e-mails: one outbox row (townmarket.outbox.defer) saved in
its transaction, rendered into those e-mails by the task worker (send_order_emails)."""
import logging

from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from oscar_apps.customer.utils import PublicSiteDispatcher
from oscar_apps.order import tracking
from oscar_apps.order.notifications import notify_shops
from oscar_apps.order.parts import shop_parts
from townmarket import outbox
from townmarket.absolute_urls import absolute_url

logger = logging.getLogger(__name__)
OrderDispatcher = get_class("order.utils", "OrderDispatcher")
Order = get_model("order", "Order")


def message_context(order, request=None):
    context = {"user": order.user, "order": order, "lines": order.lines.all(), "shop_parts": shop_parts(order)}
    if request is not None:
        context["request"] = request
    # A signed link: the order's page without an account or a login (order/tracking.py).
    path = tracking.path_for(order)
    context["status_path"] = path
    context["status_url"] = absolute_url(path, request, site=order.town)  # the order's town, request or not
    return context


def send_order_confirmation(order, request=None):
    """Into the outbox (townmarket.outbox), in the caller's transaction."""
    dispatcher = OrderDispatcher(logger=logger)
    dispatcher.dispatcher = PublicSiteDispatcher(logger=logger)  # the town's name, its sender name in From
    dispatcher.send_order_placed_email_for_user(order, message_context(order, request))


@outbox.renderer
def send_order_emails(order_pk):
    """In the task worker: each shop's e-mail and the customer's confirmation, recorded
    in the outbox (an order erased meanwhile: nothing)."""
    order = Order.objects.filter(pk=order_pk).select_related("user", "town").first()
    if order is None:
        return
    notify_shops(order)
    if order.email:
        send_order_confirmation(order)


def queue_order_emails(order):
    """The shops' and the customer's e-mails of a placed order, rendered later by the
    worker: one outbox row in the caller's transaction (townmarket.outbox.defer)."""
    outbox.defer(send_order_emails, _("Commande %(number)s : e-mails aux commerces et au client") % {
        "number": order.number}, order.email or "", town=order.town, order_pk=order.pk)
