"""Money at the door: what each shop's part of a stop leaves to collect, and the
volunteer's record of it (« Payé » with the means, or « Pas payé »).

An order paid online has a payment Source beyond the part payments made with it (gift
cards, already counted in ShopOrder.prepaid): nothing is left to collect. Otherwise each
shop's part is paid on delivery: its `amount_due`. A payment recorded here is announced
with the core's `payment_collected` signal (the payments plugin makes it the shop's
in-store payment), inside the same transaction."""
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from townmarket.signals import payment_collected

from .models import DoorPayment

ShopOrder = get_model("order", "ShopOrder")

ZERO = Decimal("0.00")


def paid_online(order):
    """True when the order's payment Sources cover more than its part payments: the
    rest was paid online (with prefetched `sources` and `shop_orders`, no query)."""
    paid = sum((source.amount_debited for source in order.sources.all()), ZERO)
    prepaid = sum((shop_order.prepaid for shop_order in order.shop_orders.all()), ZERO)
    return paid > prepaid


def to_collect(shop_order, order=None):
    """What the volunteer collects at the door for this shop's part."""
    order = order or shop_order.order
    return ZERO if paid_online(order) else shop_order.amount_due


class RecordRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def record(stop, shop_order, outcome, user, amount=ZERO, means=""):
    """Record the door's outcome for one shop part (`stop` None: a parcel paid before
    sending), once: the shop part's row is locked, and
    the unique index on the shop part catches what the lock cannot (SQLite)."""
    paid = outcome == DoorPayment.Outcome.PAID
    values = {"outcome": outcome, "amount": amount if paid else ZERO, "means": means if paid else "",
              "recorded_by": user}
    with transaction.atomic():
        # The shop part's row, locked: two taps (or a volunteer and the shop) record once.
        list(ShopOrder.objects.select_for_update().filter(pk=shop_order.pk).values_list("pk", flat=True))
        existing = DoorPayment.objects.filter(shop_order=shop_order).first()
        if existing is not None:
            if not paid or existing.outcome == DoorPayment.Outcome.PAID:
                raise RecordRefused(_("Le paiement de %(shop)s est déjà enregistré : %(outcome)s.") % {
                    "shop": shop_order.partner.name, "outcome": existing.get_outcome_display().lower()})
            moved = DoorPayment.objects.filter(pk=existing.pk, outcome=DoorPayment.Outcome.UNPAID).update(**values)
            if not moved:
                raise RecordRefused(_("Le paiement de %(shop)s est déjà enregistré.") % {"shop": shop_order.partner.name})
        else:
            try:
                with transaction.atomic():
                    DoorPayment.objects.create(stop=stop, shop_order=shop_order, **values)
            except IntegrityError:
                raise RecordRefused(_("Le paiement de %(shop)s est déjà enregistré.") % {
                    "shop": shop_order.partner.name}) from None
        if paid:
            payment_collected.send(sender=DoorPayment, shop_order=shop_order, amount=amount, means=means, user=user)
