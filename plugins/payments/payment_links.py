"""Paying by card an order someone else placed for the customer (taken by phone): the
core e-mails them a signed link (PaymentMethod.payment_link) that opens Stripe's page
for that order, as the checkout's own start() does. The order waits « en attente de
paiement », its articles held, for LINK_VALID_FOR; once the link is opened, as any
online payment (a session of payments.PAYMENT_TIME, then the sweep)."""
import datetime
import logging

import stripe
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from oscar.core.loading import get_model

from oscar_apps.checkout import awaiting_payment
from oscar_apps.order.parts import amount_due, shop_parts
from townmarket.absolute_urls import absolute_url

from . import gateway, payments
from .models import Payment

logger = logging.getLogger(__name__)
Order = get_model("order", "Order")

LINK_SALT = "plugins.payments.payment_link"
LINK_VALID_FOR = datetime.timedelta(days=3)


def link_for(order, request=None):
    """The absolute URL of the order's payment link."""
    token = signing.dumps(str(order.number), salt=LINK_SALT)  # an int until the order is read back
    return absolute_url(reverse("payments_link", args=[token]), request)


def order_for(token):
    """The order a link names, or None when forged or older than LINK_VALID_FOR."""
    try:
        number = signing.loads(token, salt=LINK_SALT, max_age=LINK_VALID_FOR.total_seconds())
    except signing.BadSignature:
        return None
    return Order.objects.filter(number=number).first() if isinstance(number, str) else None


class PaymentLinkView(View):
    """The link e-mailed to the customer: Stripe's page for the order, opened once (a
    second visit goes back to the same session), or what became of the order."""

    template_name = "payments/link.html"

    def get(self, request, token):
        order = order_for(token)
        if order is None:
            raise Http404("Lien de paiement invalide")
        # The return pages (payments_return) show the order to this browser only.
        request.session["checkout_order_id"] = order.pk
        payment = Payment.objects.filter(order=order).first()
        if order.status != awaiting_payment.AWAITING_PAYMENT or (
                payment is not None and payment.status != Payment.Status.PENDING):
            paid = payment is not None and payment.status == Payment.Status.PAID
            return self.show(order, "paid" if paid else "closed")
        if "retour" in request.GET:
            return self.show(order, "back", link=request.path)
        if payment is not None:
            if payment.session_url:
                return redirect(payment.session_url)
            return self.show(order, "unavailable", link=request.path)
        return self.start(request, order)

    def start(self, request, order):
        try:
            with transaction.atomic():
                payment = Payment.objects.create(order=order, amount=amount_due(order))
        except IntegrityError:  # opened twice at once: the other visit starts it
            return self.show(order, "unavailable", link=request.path)
        success_url = absolute_url(reverse("payments_return", args=[order.number]), request)
        cancel_url = absolute_url(request.path + "?retour=1", request)
        try:
            session = gateway.create_checkout_session(payment, shop_parts(order), success_url, cancel_url,
                                                      timezone.now() + payments.PAYMENT_TIME)
        except stripe.StripeError as error:
            # No session exists: the link can be tried again, the order stays held.
            logger.warning("Stripe session not created for order %s (link): %s", order.number, gateway.describe(error))
            payment.delete()
            return self.show(order, "unavailable", link=request.path)
        Payment.objects.filter(pk=payment.pk).update(session_id=session.id, session_url=session.url)
        return redirect(session.url)

    def show(self, order, state, link=""):
        status = 200 if state != "unavailable" else 503
        return render(self.request, self.template_name, {"order": order, "state": state, "link": link}, status=status)

