"""An order's invoices when it reaches its shops (townmarket.signals.order_confirmed):
issued by the task worker for an order paid at the shop (the task saved in the order's
transaction, tasks.py), inside the transaction for one whose online payment is confirmed
(no customer waits on that one); issued documents are never deleted."""
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _

from townmarket.signals import order_confirmed

from . import issuing, tasks
from .models import Document, ImmutableDocument


@receiver(order_confirmed)
def invoice_the_shops(sender, order, paid_online=False, **kwargs):
    if not paid_online:
        tasks.issue_invoices.enqueue(order.pk)
        return
    source = order.sources.select_related("source_type").order_by("-pk").first()
    means = source.source_type.name if source else _("paiement en ligne")
    issuing.issue_for_order(order, means)


@receiver(pre_delete, sender=Document)
def never_delete(sender, instance, **kwargs):
    """Also when deleted through a queryset (which skips Document.delete())."""
    raise ImmutableDocument(f"{instance.number} is issued: it cannot be deleted")
