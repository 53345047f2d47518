"""An order's payment by card, from the checkout to its outcome.

start() runs once the order is placed « En attente de paiement »: it opens a Stripe
Checkout Session and sends the customer there. Only a verified webhook then marks
the payment paid (webhooks.py); giving up, a failure to start or the session's
expiry abandon it. Every change is a conditional UPDATE from « en attente », so
whatever arrives twice, or late, changes nothing the second time."""
import datetime
import logging

import stripe
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from oscar_apps.checkout import awaiting_payment
from oscar_apps.order.parts import amount_due, shop_parts
from townmarket.absolute_urls import absolute_url

from . import fees, gateway
from .models import Payment

logger = logging.getLogger(__name__)
Basket = get_model("basket", "Basket")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

# Stripe's shortest session; the order's stock and delivery places are held meanwhile.
PAYMENT_TIME = datetime.timedelta(minutes=30)
SOURCE_NAME = "Carte bancaire en ligne (Stripe)"


def start(request, order):
    payment = Payment.objects.create(order=order, amount=amount_due(order))
    success_url = absolute_url(reverse("payments_return", args=[order.number]), request)
    cancel_url = absolute_url(reverse("payments_cancel", args=[order.number]), request)
    try:
        session = gateway.create_checkout_session(payment, shop_parts(order), success_url, cancel_url,
                                                  timezone.now() + PAYMENT_TIME)
    except stripe.StripeError as error:
        logger.warning("Stripe session not created for order %s: %s", order.number, gateway.describe(error))
        Payment.objects.filter(pk=payment.pk).update(last_error=_("Le paiement n'a pas pu commencer."))
        abandon(payment, request)
        messages.error(request, _("Le paiement en ligne n'a pas pu commencer : le service de paiement ne répond pas. "
                                  "Votre panier est intact ; réessayez, ou choisissez de payer au retrait."))
        return redirect("checkout:index")
    Payment.objects.filter(pk=payment.pk).update(session_id=session.id, session_url=session.url)
    return redirect(session.url)


def abandon(payment, request=None):
    """The payment will not come: the order is cancelled and the basket given back."""
    with transaction.atomic():
        moved = Payment.objects.filter(pk=payment.pk, status=Payment.Status.PENDING).update(
            status=Payment.Status.ABANDONED)
        if moved:
            awaiting_payment.abandon(payment.order, request)
    return bool(moved)


@transaction.atomic
def give_basket_back(payment, request):
    """A guest's order abandoned without their request (the sweep, Stripe's expiry) keeps
    their articles in its frozen basket: they get them back when they come to the
    payment page, once (the basket's row is locked, then merged away)."""
    frozen = Basket.objects.select_for_update().filter(pk=payment.order.basket_id, status=Basket.FROZEN).first()
    if frozen is not None:
        awaiting_payment.give_back(frozen, request)  # the same move abandon() makes with a request


@transaction.atomic
def mark_paid(payment, amount_cents, currency, payment_intent):
    """The money is in (a verified webhook says so): the order goes to the shops."""
    if currency != "eur" or amount_cents != payment.amount_cents:
        logger.error("Order %s: Stripe reports %s %s, expected %s eur; not marked paid",
                     payment.order.number, amount_cents, currency, payment.amount_cents)
        Payment.objects.filter(pk=payment.pk).update(last_error=_("Montant payé inattendu : à vérifier."))
        return "montant inattendu"
    moved = Payment.objects.filter(pk=payment.pk, status=Payment.Status.PENDING).update(
        status=Payment.Status.PAID, paid_at=timezone.now(), payment_intent=payment_intent or "", last_error="")
    if not moved:
        current = Payment.objects.get(pk=payment.pk).status
        if current == Payment.Status.ABANDONED:
            logger.error("Order %s was paid after being abandoned: refund it from Stripe", payment.order.number)
            Payment.objects.filter(pk=payment.pk).update(
                last_error=_("Payée après abandon de la commande : à rembourser."), payment_intent=payment_intent or "")
            return "payee apres abandon"
        return "deja payee"
    source_type, _created = SourceType.objects.get_or_create(name=SOURCE_NAME)
    Source.objects.create(order=payment.order, source_type=source_type, currency="EUR", amount_allocated=payment.amount,
                          amount_debited=payment.amount, reference=payment_intent or "")
    awaiting_payment.confirm(payment.order)
    fees.fetch_fee.enqueue(payment.pk)  # by the task worker, after the commit: never holds this up
    return "payee"


def record_failure(payment, message):
    """A declined card: the customer may try another on Stripe's page, nothing else changes."""
    Payment.objects.filter(pk=payment.pk, status=Payment.Status.PENDING).update(last_error=message[:255])
