"""Stripe's fee on each card payment, and each shop's share of it.

mark_paid() enqueues fetch_fee in the transaction that confirms the payment (with the
database task queue, a row of that transaction): the webhook never waits on Stripe for
it, and a process killed after the commit loses nothing. If Stripe fails or hangs
then, the fee stays unknown (« non connus » in the settlement) and `manage.py
fetch_stripe_fees` (cron, every 5 minutes) asks again.

One payment pays the parts of several shops; its fee is shared pro rata of each
part's amount paid online, by the largest remainder: every share is rounded down to
the cent, and the cents left go one each to the largest remainders (the earlier part
on a tie), so the shares always add up to the fee."""
import logging
from collections import Counter
from decimal import Decimal

import stripe
from django_tasks import task
from oscar.core.loading import get_model

from . import gateway
from .models import Payment
from .money import cents, euros

logger = logging.getLogger(__name__)
ShopOrder = get_model("order", "ShopOrder")
ZERO = Decimal("0.00")
FETCHED, NOT_YET, LEFT = "connus", "pas encore", "laisses"


@task()
def fetch_fee(payment_pk):
    payment = Payment.objects.filter(pk=payment_pk).first()
    if payment is not None:
        try:
            fetch(payment)
        except stripe.StripeError:
            pass  # logged; the scheduled command asks again


def fetch(payment):
    """Ask Stripe for `payment`'s fee and store it (once); True when known. Stripe's
    errors are logged and raised."""
    if payment.stripe_fee is not None:
        return True
    if payment.status != Payment.Status.PAID or not payment.payment_intent:
        return False
    try:
        fee_cents = gateway.payment_fee(payment.payment_intent)
    except stripe.StripeError as error:
        logger.warning("Stripe fee of order %s not known yet: %s", payment.order_id, gateway.describe(error))
        raise
    if fee_cents is None:
        return False
    Payment.objects.filter(pk=payment.pk, stripe_fee__isnull=True).update(stripe_fee=euros(fee_cents))
    return True


def fetch_missing():
    """Every paid payment whose fee is unknown; Stripe failing once leaves the rest for
    the next run. Returns a Counter of outcomes."""
    outcomes = Counter()
    missing = Payment.objects.filter(status=Payment.Status.PAID, stripe_fee__isnull=True).exclude(payment_intent="")
    stripe_down = False
    for payment in missing.order_by("pk"):
        if stripe_down:
            outcomes[LEFT] += 1
            continue
        try:
            outcomes[FETCHED if fetch(payment) else NOT_YET] += 1
        except stripe.StripeError:
            stripe_down = True
            outcomes[LEFT] += 1
    return outcomes


def split(fee, amounts):
    """[Decimal]: `fee` shared pro rata of `amounts`, to the cent, adding up to `fee`."""
    fee_cents, weights = cents(fee), [max(cents(amount), 0) for amount in amounts]
    total = sum(weights)
    if not weights:
        return []
    if total == 0:
        weights, total = [1] * len(weights), len(weights)
    shares = [fee_cents * weight // total for weight in weights]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(fee_cents * weights[i] % total), i))
    for index in by_remainder[:fee_cents - sum(shares)]:
        shares[index] += 1
    return [euros(share) for share in shares]


def shares_of(parts):
    """{shop_order_id: its share of its payment's fee, or None when the fee is unknown}
    for shop parts paid online (their order's online_payment loaded); one query for
    the other parts of their orders."""
    payments = {part.order_id: part.order.online_payment for part in parts}
    siblings = {}
    for sibling in ShopOrder.objects.filter(order__in=payments).order_by("pk"):
        siblings.setdefault(sibling.order_id, []).append(sibling)
    found = {}
    for order_id, payment in payments.items():
        paying = [part for part in siblings.get(order_id, []) if part.amount_due > 0]
        if payment.stripe_fee is None:
            found.update((part.pk, None) for part in paying)
            continue
        found.update(zip((part.pk for part in paying), split(payment.stripe_fee, [p.amount_due for p in paying])))
    return found
