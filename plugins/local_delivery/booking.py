"""Places in the volunteers' rounds: a limited resource, booked inside the order's
transaction with one conditional UPDATE, so parallel checkouts never overbook."""
import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from townmarket.extensions import CheckoutRefused

from .dates import date_label
from .models import DeliveryStop, RoundDay

ShopOrder = get_model("order", "ShopOrder")


def town_of(shop_order):
    """The town whose round delivers a shop order: its order's (its shop's, for an order
    placed before orders had a town)."""
    return shop_order.order.town_id or shop_order.partner.town_id


def book_stop(shop_order, checkout, *, day, capacity):
    """Add this shop's parcel to the order's stop on `day`, booking the stop if it is
    the order's first parcel that day, on the round of the order's town (`capacity`: that
    town's). Raises CheckoutRefused when the round is full."""
    town_id = town_of(shop_order)
    stop = DeliveryStop.objects.filter(order=shop_order.order, date=day).first()
    if stop is None:
        RoundDay.objects.bulk_create([RoundDay(town_id=town_id, date=day)], ignore_conflicts=True)
        booked = (RoundDay.objects.filter(town_id=town_id, date=day, booked__lt=capacity)
                  .update(booked=F("booked") + 1))
        if not booked:
            raise CheckoutRefused(_(
                "La tournée de livraison du %(date)s vient d'être complète. Choisissez une autre date "
                "ou un autre mode de retrait ou de livraison ; votre panier est intact.") % {"date": date_label(day)})
        stop = DeliveryStop.objects.create(order=shop_order.order, date=day, town_id=town_id)
    stop.parcels.add(shop_order)
    return stop


def full_days(town_id, capacity, start, horizon_days):
    """The days whose round in the town is full, between start and start + horizon (one query)."""
    return set(RoundDay.objects.filter(town_id=town_id, date__gte=start,
                                       date__lte=start + dt.timedelta(days=horizon_days),
                                       booked__gte=capacity).values_list("date", flat=True))


@transaction.atomic
def release_cancelled_parcel(shop_order):
    """A cancelled shop order leaves its stop; a stop left without parcels frees its place."""
    for stop in DeliveryStop.objects.select_for_update().filter(parcels=shop_order,
                                                               status=DeliveryStop.Status.PENDING):
        if stop.parcels.exclude(status=ShopOrder.Status.CANCELLED).exists():
            continue
        day = stop.date
        stop.delete()
        RoundDay.objects.filter(town_id=stop.town_id, date=day, booked__gt=0).update(booked=F("booked") - 1)
