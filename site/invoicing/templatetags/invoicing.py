"""{% order_documents order as documents %} once per page (one query), then
{% shop_order_documents documents shop_order as docs %} for each shop's part;
`order|invoice_on_its_way`: no invoice yet, but one is owed (the task worker issues it
seconds after the order, invoicing/tasks.py): « Facture en cours d'émission »."""
from django import template

from invoicing.issuing import is_sold
from invoicing.models import Document

register = template.Library()


@register.simple_tag
def order_documents(order):
    found = {}
    for document in Document.objects.filter(shop_order__order=order).only(
            "kind", "number", "shop_order_id", "total_incl_tax", "issued_at").order_by("issued_at", "pk"):
        found.setdefault(document.shop_order_id, []).append(document)
    return found


@register.simple_tag
def shop_order_documents(documents, shop_order):
    return documents.get(shop_order.pk, [])


@register.filter
def invoice_on_its_way(order):
    return is_sold(order)
