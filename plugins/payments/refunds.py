"""Refunds, shop by shop, on orders paid online.

A shop's part can be refunded up to what it cost (its articles and its fee), in one
go or in several. The check and the new row happen with that shop order locked, so
two refunds sent together cannot exceed it. The row exists before Stripe is called:
its id is the idempotency key, so « Réessayer » after a timeout refunds once."""
import logging
from decimal import Decimal

import stripe
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from invoicing.issuing import issue_credit_note
from townmarket.money import amount as shown_amount

from . import gateway
from .models import Payment, Refund
from .money import CENT

logger = logging.getLogger(__name__)
ShopOrder = get_model("order", "ShopOrder")
Source = get_model("payment", "Source")
ZERO = Decimal("0.00")


class RefundRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def paid_online(shop_order):
    return Payment.objects.filter(order_id=shop_order.order_id, status=Payment.Status.PAID).first()


def refunded(shop_order):
    """Refunded or being refunded (failed attempts do not count)."""
    total = shop_order.refunds.exclude(status=Refund.Status.FAILED).aggregate(total=Sum("amount"))["total"]
    return (total or ZERO).quantize(CENT)  # SQLite's SUM comes back with stray decimals


def refundable(shop_order):
    """What was paid by card for this part (gift cards not included) and not refunded yet."""
    return max(shop_order.amount_due - refunded(shop_order), ZERO)


def refund(shop_order, amount, reason, user=None):
    """Refund `amount` of this shop's part; returns the Refund (done, or still pending
    if Stripe did not answer). Raises RefundRefused with a message for the merchant."""
    payment = paid_online(shop_order)
    if payment is None:
        raise RefundRefused(_("Cette commande n'a pas été payée en ligne : rendez l'argent au client directement."))
    if amount <= ZERO:
        raise RefundRefused(_("Le montant à rembourser doit être supérieur à zéro."))
    with transaction.atomic():
        locked = ShopOrder.objects.select_for_update().get(pk=shop_order.pk)
        left = refundable(locked)
        if amount > left:
            raise RefundRefused(_("Au plus %(left)s € peuvent encore être remboursés sur cette commande.")
                                % {"left": shown_amount(left)})
        row = Refund.objects.create(payment=payment, shop_order=locked, amount=amount, reason=reason, created_by=user)
    return send(row)


def send(row):
    """Ask Stripe for the refund (again, with the same key, for a pending one)."""
    try:
        answer = gateway.create_refund(row)
    except stripe.APIConnectionError as error:
        logger.warning("Refund %s: no answer from Stripe: %s", row.pk, gateway.describe(error))
        Refund.objects.filter(pk=row.pk).update(error=_("Le service de paiement ne répond pas."))
        row.refresh_from_db()
        return row
    except stripe.StripeError as error:
        logger.warning("Refund %s refused by Stripe: %s", row.pk, gateway.describe(error))
        Refund.objects.filter(pk=row.pk).update(status=Refund.Status.FAILED,
                                                error=_("Refusé par le service de paiement."))
        raise RefundRefused(_("Le service de paiement a refusé ce remboursement. Rien n'a été remboursé."))
    if answer.status in ("succeeded", "pending"):
        confirm(row, answer.id)
    row.refresh_from_db()
    return row


@transaction.atomic
def confirm(row, stripe_refund_id):
    moved = Refund.objects.filter(pk=row.pk, status=Refund.Status.PENDING).update(
        status=Refund.Status.DONE, stripe_refund_id=stripe_refund_id, done_at=timezone.now(), error="")
    if moved:
        Source.objects.filter(order_id=row.payment.order_id).update(amount_refunded=F("amount_refunded") + row.amount)
        # The shop's credit note (« avoir ») for what was refunded, against its invoice.
        issue_credit_note(row.shop_order, row.amount, reason=_("Remboursement : %(reason)s") % {"reason": row.reason}
                          if row.reason else _("Remboursement"))
    return bool(moved)
