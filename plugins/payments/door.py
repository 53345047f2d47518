"""Money a volunteer collected at the door (the core's `payment_collected` signal, sent
by a delivery plugin) becomes the shop part's in-store payment, as if the merchant had
recorded it; a payment the merchant already recorded is left as it is."""
from django.db import IntegrityError, transaction
from django.dispatch import receiver

from townmarket.signals import payment_collected

from .models import InStorePayment


@receiver(payment_collected)
def record_in_store_payment(sender, shop_order, amount, means, user=None, **kwargs):
    if means not in InStorePayment.Means.values:
        means = InStorePayment.Means.OTHER
    try:
        with transaction.atomic():
            InStorePayment.objects.create(shop_order=shop_order, amount=amount, means=means, recorded_by=user)
    except IntegrityError:  # one payment per shop part: the merchant recorded it first
        pass
