"""Stripe's webhook: the only way an order becomes paid.

The signature is checked first (400 and nothing recorded otherwise). Each event id
is then recorded in the same transaction as its effect: a second delivery, even a
simultaneous one on another connection, waits on the unique index and finds the id
taken. Effects are conditional on the payment's current state, so an event that
arrives late (an expiry after the payment, a duplicate after a refund) is a no-op."""
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from townmarket.text import is_row_id

from . import payments
from .models import Payment, Refund, StripeEvent

logger = logging.getLogger(__name__)


def process(event):
    """Apply one verified event once; returns what was done (kept on the event)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = StripeEvent.objects.create(event_id=event["id"], type=event["type"])
        except IntegrityError:
            return "deja recu"
        handler = HANDLERS.get(event["type"])
        outcome = handler(event["data"]["object"]) if handler else "ignore"
        record.outcome = outcome
        record.save(update_fields=["outcome"])
    return outcome


def _payment_for_session(session):
    """The payment a session belongs to: by the session's id, else by the order number
    and payment id it carries (client_reference_id, metadata), for a session whose id
    was never saved (the process died between Stripe's answer and the save); its id is
    saved then. A session other than the one saved for the order is not taken for it."""
    payment = Payment.objects.select_related("order").filter(session_id=session["id"]).first()
    if payment is not None:
        return payment
    payment = payment_for_reference(session.get("metadata"), session.get("client_reference_id"))
    if payment is None:
        return None
    if payment.session_id:
        logger.warning("Stripe session %s for order %s, whose session is %s: ignored",
                       session["id"], payment.order.number, payment.session_id)
        return None
    save_session(payment, session)
    return payment


def payment_for_reference(metadata, client_reference_id=None):
    """The payment named by an object's metadata (order number, payment id), or None."""
    metadata = metadata or {}
    number = metadata.get("order_number") or client_reference_id
    payment_id = str(metadata.get("payment_id") or "")
    found = Payment.objects.select_related("order")
    if number:
        found = found.filter(order__number=number)
    if is_row_id(payment_id):
        found = found.filter(pk=int(payment_id))
    payment = found.first() if number or is_row_id(payment_id) else None
    if payment is None:
        logger.warning("Stripe object for unknown order %r (payment %r)", number, payment_id or None)
    return payment


def save_session(payment, session):
    """Record the session's id on a payment that has none yet (conditional: once)."""
    Payment.objects.filter(pk=payment.pk, session_id__isnull=True).update(
        session_id=session["id"], session_url=session.get("url") or "")
    payment.session_id = payment.session_id or session["id"]


def session_completed(session):
    payment = _payment_for_session(session)
    if payment is None:
        return "commande inconnue"
    if session.get("payment_status") != "paid":
        return "en attente du paiement"  # a delayed method: async_payment_succeeded follows
    return payments.mark_paid(payment, session.get("amount_total"), session.get("currency"), session.get("payment_intent"))


def session_ended_unpaid(session):
    payment = _payment_for_session(session)
    if payment is None:
        return "commande inconnue"
    return "abandonnee" if payments.abandon(payment) else "deja traitee"


def payment_failed(intent):
    payment = payment_for_reference(intent.get("metadata"))
    if payment is None:
        return "commande inconnue"
    error = intent.get("last_payment_error") or {}
    payments.record_failure(payment, _("Carte refusée (%(code)s)") % {"code": error.get("decline_code") or error.get("code") or "?"})
    return "echec enregistre"


def refund_updated(refund):
    refund_id = (refund.get("metadata") or {}).get("refund_id")
    row = Refund.objects.filter(pk=refund_id).first() if is_row_id(refund_id) else None
    if row is None:
        return "remboursement inconnu"
    if refund.get("status") == "succeeded":
        moved = Refund.objects.filter(pk=row.pk, status=Refund.Status.PENDING).update(
            status=Refund.Status.DONE, stripe_refund_id=refund["id"], done_at=timezone.now(), error="")
        return "remboursement confirme" if moved else "deja confirme"
    if refund.get("status") in ("failed", "canceled"):
        moved = Refund.objects.filter(pk=row.pk).exclude(status=Refund.Status.FAILED).update(
            status=Refund.Status.FAILED, error=_("Refusé par le service de paiement."))
        return "remboursement echoue" if moved else "deja echoue"
    return "remboursement en cours"


HANDLERS = {
    "checkout.session.completed": session_completed,
    "checkout.session.async_payment_succeeded": session_completed,
    "checkout.session.expired": session_ended_unpaid,
    "checkout.session.async_payment_failed": session_ended_unpaid,
    "payment_intent.payment_failed": payment_failed,
    "refund.created": refund_updated,
    "refund.updated": refund_updated,
}
