"""An order's invoices are issued when it reaches its shops (townmarket.signals.order_confirmed),
inside that transaction; issued documents are never deleted."""
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _

from townmarket.signals import order_confirmed

from . import issuing
from .models import Document, ImmutableDocument


@receiver(order_confirmed)
def invoice_the_shops(sender, order, paid_online=False, **kwargs):
    means = ""
    if paid_online:
        source = order.sources.select_related("source_type").order_by("-pk").first()
        means = source.source_type.name if source else _("paiement en ligne")
    issuing.issue_for_order(order, means)


@receiver(pre_delete, sender=Document)
def never_delete(sender, instance, **kwargs):
    """Also when deleted through a queryset (which skips Document.delete())."""
    raise ImmutableDocument(f"{instance.number} is issued: it cannot be deleted")
