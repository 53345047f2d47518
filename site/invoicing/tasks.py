"""Issuing an order's invoices in the task worker (django-tasks, db_worker), not in the
customer's request. The task is enqueued in the order's transaction: with the database
backend its row is saved with the order, or neither, so a worker that is down only
delays the invoices. `missing()` and `manage.py issue_missing_invoices` (cron) catch up
whatever a lost or failed task left; issuing twice is harmless (issuing.issue_invoice
checks again under the series' lock)."""
import datetime
import logging

from django.utils import timezone
from django_tasks import task
from oscar.core.loading import get_model

from oscar_apps.order.statuses import HIDDEN_FROM_SHOPS

from . import issuing
from .models import Kind

Order = get_model("order", "Order")
ShopOrder = get_model("order", "ShopOrder")
logger = logging.getLogger(__name__)


@task()
def issue_invoices(order_pk):
    """Each shop's invoice for a confirmed order (none while its payment is awaited)."""
    order = Order.objects.filter(pk=order_pk).first()
    if order is None or not issuing.is_sold(order):
        return 0
    return len(issuing.issue_for_order(order))


def missing(older_than=datetime.timedelta(minutes=1)):
    """Shop orders that owe an invoice and have none: their order reached the shops more
    than `older_than` ago (the worker's task is usually done within seconds)."""
    return (ShopOrder.objects.exclude(order__status__in=HIDDEN_FROM_SHOPS)
            .exclude(invoicing_documents__kind=Kind.INVOICE)
            .filter(order__date_placed__lt=timezone.now() - older_than)
            .select_related("order", "partner", "partner__shop_page").order_by("partner_id", "pk"))


def issue_missing(older_than=datetime.timedelta(minutes=1)):
    """Issue what missing() finds; returns how many invoices were issued. One that fails
    is logged and left for the next run: the others are issued all the same (each in its
    own transaction, issuing.issue_invoice)."""
    issued = 0
    for shop_order in missing(older_than):
        try:
            issuing.issue_invoice(shop_order)
        except Exception:
            logger.exception("Invoice of %s for order %s not issued", shop_order.partner, shop_order.order.number)
            continue
        issued += 1
    if issued:
        logger.warning("%s invoice(s) issued by the catch-up (their task was lost or failed)", issued)
    return issued
