"""Orders still « En attente de paiement » long after Stripe's session has ended:
the webhook was lost, or the web worker died while it called Stripe (before the
session's id was saved, or even before the payment was recorded).

`manage.py expire_waiting_payments` (cron, every few minutes) asks Stripe what
became of each one's session, confirms the orders that were paid, and abandons the
others (stock and delivery places released, basket given back). Stripe not
answering leaves the order for the next run: an order that may be paid is never
abandoned. Both outcomes are the plugin's conditional updates, so the sweep and a
webhook arriving at the same moment act once."""
import datetime
import logging
from collections import Counter

import stripe
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_apps.checkout import awaiting_payment

from . import gateway, payment_links, payments
from .models import Payment
from .webhooks import save_session

logger = logging.getLogger(__name__)
Order = get_model("order", "Order")

# Stripe's sessions last payments.PAYMENT_TIME (30 min): later, none can still be paid.
DEFAULT_WAIT_MINUTES = 45

PAID, ABANDONED, LEFT, DONE = "payee", "abandonnee", "laissee", "deja traitee"


class Undecided(Exception):
    """This order cannot be settled now: left for the next run."""


class StripeUnreachable(Undecided):
    """Stripe did not answer (down, too slow, refused): every order is left for the next run."""


def waiting_delay():
    return datetime.timedelta(minutes=getattr(settings, "PAYMENT_WAIT_MINUTES", DEFAULT_WAIT_MINUTES))


def stuck_orders(now=None):
    now = now or timezone.now()
    cutoff = now - waiting_delay()
    waiting = Order.objects.filter(status=awaiting_payment.AWAITING_PAYMENT, date_placed__lt=cutoff)
    # Taken by phone: paid through the link e-mailed to the customer, whenever they open
    # it within its validity; once opened, its session is given the usual delay.
    by_phone = Q(channel=Order.Channel.PHONE)
    return (waiting.exclude(by_phone & Q(online_payment__isnull=True,
                                         date_placed__gte=now - payment_links.LINK_VALID_FOR))
            .exclude(by_phone & Q(online_payment__created_at__gte=cutoff)).order_by("pk"))


def expire_waiting_payments(now=None):
    """Settle every order waiting longer than PAYMENT_WAIT_MINUTES; returns a Counter of
    outcomes. Once Stripe has failed to answer, the orders still to ask it about are
    left for the next run rather than each waiting for the timeout."""
    outcomes = Counter()
    stripe_down = False
    for order in stuck_orders(now):
        if stripe_down and Payment.objects.filter(order=order).exists():
            outcomes[LEFT] += 1
            continue
        try:
            outcomes[settle(order)] += 1
        except Undecided as reason:
            stripe_down = isinstance(reason, StripeUnreachable)
            outcomes[LEFT] += 1
    return outcomes


def settle(order):
    payment = Payment.objects.select_related("order").filter(order=order).first()
    if payment is None:
        # The worker died before start() recorded the payment: no session was asked for.
        logger.warning("Order %s waited for a payment never started: abandoned", order.number)
        return ABANDONED if awaiting_payment.abandon(order) else DONE
    if payment.status != Payment.Status.PENDING:
        return DONE
    session = _session_of(payment)
    if session is None:
        logger.warning("Order %s: Stripe has no session for it: abandoned", order.number)
        return ABANDONED if payments.abandon(payment) else DONE
    status = session.get("status")
    if status == "complete":
        if session.get("payment_status") != "paid":
            return LEFT  # a delayed method: Stripe's async_payment_* event, or a later run, decides
        outcome = payments.mark_paid(payment, session.get("amount_total"), session.get("currency"),
                                     session.get("payment_intent"))
        return PAID if outcome == "payee" else (LEFT if outcome == "montant inattendu" else DONE)
    if status == "open":
        # Still payable: closed at Stripe first, so it cannot be paid once abandoned.
        try:
            gateway.expire_session(session["id"])
        except stripe.InvalidRequestError:
            return LEFT  # paid in the meantime: the webhook, or the next run, confirms it
        except stripe.StripeError as error:
            raise _unreachable(payment, error) from error
    return ABANDONED if payments.abandon(payment) else DONE


def _session_of(payment):
    """The payment's session as Stripe knows it now, found by its reference if its id
    was never saved; None if Stripe has none."""
    try:
        if payment.session_id:
            return gateway.retrieve_session(payment.session_id)
        session = gateway.find_session(payment)
    except stripe.InvalidRequestError as error:  # Stripe answered, but not about this session
        logger.error("Order %s left waiting: Stripe refused to tell about its session (%s)",
                     payment.order.number, gateway.describe(error))
        raise Undecided from error
    except stripe.StripeError as error:
        raise _unreachable(payment, error) from error
    if session is not None:
        save_session(payment, session)
    return session


def _unreachable(payment, error):
    logger.warning("Order %s left waiting: Stripe did not answer (%s)", payment.order.number, gateway.describe(error))
    return StripeUnreachable()
