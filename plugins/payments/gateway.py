"""Every call to Stripe goes through here, with the official `stripe` library.

Keys come from the environment only (settings read STRIPE_SECRET_KEY,
STRIPE_WEBHOOK_SECRET and, for tests against a local fake, STRIPE_API_BASE); they
are never logged nor shown. Every POST carries an idempotency key, so a retried
call (by the library after a timeout, or by us) cannot charge or refund twice.

Each call lasts at most time_budget(): STRIPE_TIMEOUT per try, plus the library's
pause between tries. It must fit inside the web worker's timeout (gunicorn.conf.py),
so that start() gives up and gives the basket back rather than being killed."""
import datetime
import json
import logging

import stripe
from django.conf import settings

from .money import cents

logger = logging.getLogger(__name__)

MINIMUM_CENTS = 50  # Stripe's minimum charge in euros
# How far around the payment's creation a session created for it is looked for
# (clocks differ; Stripe may create it late when it answers slowly).
SESSION_SEARCH_BEFORE = datetime.timedelta(minutes=5)
SESSION_SEARCH_AFTER = datetime.timedelta(minutes=15)


def is_configured():
    return bool(getattr(settings, "STRIPE_SECRET_KEY", "") and getattr(settings, "STRIPE_WEBHOOK_SECRET", ""))


def client():
    base = getattr(settings, "STRIPE_API_BASE", "")
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": base} if base else None,
        http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT),
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
    )


def time_budget():
    """The longest a call may take, in seconds: each try's timeout and the library's
    backoff between tries (0.5 s, doubling, at most 5 s; stripe 16's HTTPClient)."""
    retries = settings.STRIPE_MAX_NETWORK_RETRIES
    pauses = sum(min(stripe.HTTPClient.INITIAL_DELAY * 2 ** (attempt - 1), stripe.HTTPClient.MAX_DELAY)
                 for attempt in range(1, retries + 1))
    return settings.STRIPE_TIMEOUT * (1 + retries) + pauses


def describe(error):
    """A log line for a Stripe error, without the request's headers (the key)."""
    return f"{type(error).__name__} (HTTP {getattr(error, 'http_status', None)}, code {getattr(error, 'code', None)})"


def create_checkout_session(payment, shop_parts, success_url, cancel_url, expires_at):
    """A Checkout Session for what is left to pay on the order (`payment.amount`, once
    gift cards are taken off), one line per shop, in cents."""
    order = payment.order
    line_items = [
        {
            "quantity": 1,
            "price_data": {
                "currency": "eur",
                "unit_amount": cents(part.shop_order.amount_due),
                "product_data": {"name": f"{part.partner.name} — {sum(line.quantity for line in part.lines)} article(s)"},
            },
        }
        for part in shop_parts if part.shop_order.amount_due > 0
    ]
    if sum(item["price_data"]["unit_amount"] for item in line_items) != cents(payment.amount):
        line_items = [{"quantity": 1, "price_data": {"currency": "eur", "unit_amount": cents(payment.amount),
                                                     "product_data": {"name": f"Commande {order.number}"}}}]
    params = {
        "mode": "payment",
        "payment_method_types": ["card"],
        "line_items": line_items,
        "customer_email": order.email,
        # How a later event, or the sweep, finds the order if the session's id was never saved.
        "client_reference_id": order.number,
        "metadata": reference(payment),
        "payment_intent_data": {"metadata": reference(payment)},
        "success_url": success_url,
        "cancel_url": cancel_url,
        "expires_at": int(expires_at.timestamp()),
        "locale": "fr",
    }
    return client().v1.checkout.sessions.create(params, {"idempotency_key": f"townmarket-checkout-{order.number}"})


def reference(payment):
    return {"order_number": payment.order.number, "payment_id": str(payment.pk)}


def retrieve_session(session_id):
    """The session as Stripe knows it now, as plain JSON (like a webhook's object)."""
    return client().v1.checkout.sessions.retrieve(session_id).to_dict()


def find_session(payment):
    """The session created for `payment` whose id was not saved (the process died before),
    found among those Stripe created around that moment by the order number it carries;
    None if Stripe has none (the call never reached it)."""
    start = payment.created_at - SESSION_SEARCH_BEFORE
    end = payment.created_at + SESSION_SEARCH_AFTER
    sessions = client().v1.checkout.sessions.list(
        {"created": {"gte": int(start.timestamp()), "lte": int(end.timestamp())}, "limit": 100})
    for session in sessions.auto_paging_iter():
        session = session.to_dict()
        if session.get("client_reference_id") == payment.order.number:
            return session
    return None


def expire_session(session_id):
    return client().v1.checkout.sessions.expire(session_id, None, {"idempotency_key": f"townmarket-expire-{session_id}"})


def create_refund(refund):
    return client().v1.refunds.create(
        {
            "payment_intent": refund.payment.payment_intent,
            "amount": cents(refund.amount),
            "reason": "requested_by_customer",
            "metadata": {"refund_id": str(refund.pk), "order_number": refund.payment.order.number,
                         "shop": refund.shop_order.partner.name},
        },
        {"idempotency_key": refund.idempotency_key},
    )


def payment_fee(payment_intent):
    """Stripe's fee on a payment, in cents: its charge's balance transaction, expanded in
    the one call; None while Stripe has booked none (or booked it in another currency)."""
    intent = client().v1.payment_intents.retrieve(
        payment_intent, {"expand": ["latest_charge.balance_transaction"]}).to_dict()
    charge = intent.get("latest_charge")
    booked = charge.get("balance_transaction") if isinstance(charge, dict) else None
    if not isinstance(booked, dict) or booked.get("currency") != "eur":
        return None
    return int(booked["fee"])


def verified_event(payload, signature):
    """The event, as plain JSON, if `signature` is Stripe's for `payload` (and recent);
    raises ValueError or stripe.SignatureVerificationError otherwise."""
    stripe.WebhookSignature.verify_header(payload.decode("utf-8"), signature, settings.STRIPE_WEBHOOK_SECRET,
                                          stripe.Webhook.DEFAULT_TOLERANCE)
    event = json.loads(payload)
    if not isinstance(event, dict) or not {"id", "type", "data"} <= event.keys():
        raise ValueError("not a Stripe event")
    return event
