"""Downloading an invoice or credit note: the customer from their account's order page
or the tracking link, the shop's merchants and association staff from the back office.
Anyone else gets a 404, whatever the number in the address."""
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from backoffice.orders.queries import shop_orders_for
from oscar_apps.order import tracking

from .models import Document
from .pdf import render


def pdf_response(document):
    response = HttpResponse(render(document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def account_document(request, number):
    """From « Mes commandes »: the signed-in customer's own orders only."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return pdf_response(get_object_or_404(Document, number=number, shop_order__order__user=request.user))


def tracking_document(request, token, number):
    """From the confirmation e-mail's tracking page (signed link, no login)."""
    order = tracking.order_for(token)
    if order is None:
        raise Http404("Lien de suivi invalide")
    return pdf_response(get_object_or_404(Document, number=number, shop_order__order=order))


def backoffice_document(request, number):
    """A merchant for their shop's orders, association staff for every shop's."""
    return pdf_response(get_object_or_404(Document, number=number, shop_order__in=shop_orders_for(request.user)))
