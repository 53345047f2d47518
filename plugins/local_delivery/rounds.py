"""A day's round for the volunteers: its stops in driving order, and marking each
stop « livré » or « absent » (which e-mails the customer)."""
import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Prefetch, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from oscar_apps.order import workflow
from townmarket.mail import send_templated
from townmarket.town import town as town_identity

from .collection import ZERO, paid_online
from .models import DeliveryStop
from .rules import commune_key

ShopOrder = get_model("order", "ShopOrder")
Line = get_model("order", "Line")
STREET = re.compile(r"^\s*(\d+)?\s*(bis|ter|quater|[a-z](?![a-z]))?[\s,]*(.*)$", re.IGNORECASE)


def street_key(line1):
    """« 12 bis, rue des Tanneurs » → ("rue des tanneurs", 12, "bis"): same street together, by number."""
    match = STREET.match(line1 or "")
    number, suffix, street = match.groups()
    return commune_key(street), int(number) if number else 0, (suffix or "").lower()


@dataclass
class Parcel:
    shop_order: object
    articles: int
    to_collect: object = ZERO  # what the volunteer collects at the door for this shop

    @property
    def door_payment(self):
        """The volunteer's record for this part (« Payé » / « Pas payé »), or None."""
        return getattr(self.shop_order, "door_payment", None)

    @property
    def shop(self):
        return self.shop_order.partner

    @property
    def ready(self):
        return self.shop_order.status in (ShopOrder.Status.READY, ShopOrder.Status.DELIVERED)


@dataclass
class Stop:
    stop: DeliveryStop
    parcels: list

    @property
    def address(self):
        return self.stop.order.shipping_address

    @property
    def articles(self):
        return sum(parcel.articles for parcel in self.parcels)

    @property
    def to_collect(self):
        """The total to collect at this door, every shop together."""
        return sum((parcel.to_collect for parcel in self.parcels), ZERO)

    @property
    def paid_online(self):
        return paid_online(self.stop.order)


def stops_on(day, town):
    """The stops of the town's round of `day`, ordered by postcode, then street, then
    number, with what to collect at each door (6 queries)."""
    live_parcels = ShopOrder.objects.exclude(status=ShopOrder.Status.CANCELLED).select_related(
        "partner__shop_page", "door_payment").order_by("partner__name")
    stops = list(
        DeliveryStop.objects.filter(town=town, date=day)
        .select_related("order__shipping_address")
        .prefetch_related(Prefetch("parcels", queryset=live_parcels), "order__sources", "order__shop_orders")
    )
    articles = {
        (row["order_id"], row["partner_id"]): row["articles"]
        for row in Line.objects.filter(order__in=[s.order_id for s in stops])
        .values("order_id", "partner_id").annotate(articles=Sum("quantity"))
    }
    result = [
        Stop(stop, [Parcel(p, articles.get((stop.order_id, p.partner_id), 0),
                           ZERO if paid_online(stop.order) else p.amount_due) for p in stop.parcels.all()])
        for stop in stops
    ]
    result = [stop for stop in result if stop.parcels]
    result.sort(key=lambda s: (s.address.postcode if s.address else "", street_key(s.address.line1 if s.address else "")))
    return result


def upcoming_rounds(today, towns, past_days=7):
    """[(town id, date, stops)] for the rounds of `towns` from a week ago on, soonest first."""
    return list(
        DeliveryStop.objects.filter(town__in=towns, date__gte=today - dt.timedelta(days=past_days))
        .values_list("town", "date").annotate(stops=Count("pk")).order_by("date", "town")
    )


class AlreadyMarked(Exception):
    pass


MARKABLE_FROM = {
    DeliveryStop.Status.DELIVERED: [DeliveryStop.Status.PENDING, DeliveryStop.Status.ABSENT],
    DeliveryStop.Status.ABSENT: [DeliveryStop.Status.PENDING],
}


def mark_stop(stop, status, user):
    """Mark a stop; returns the parcels that were not « prête » (left for their merchant).
    One conditional UPDATE, so two volunteers tapping at once mark it once."""
    with transaction.atomic():
        marked = DeliveryStop.objects.filter(pk=stop.pk, status__in=MARKABLE_FROM[status]).update(
            status=status, marked_at=timezone.now(), marked_by=user)
        if not marked:
            stop.refresh_from_db()
            raise AlreadyMarked(_("Cet arrêt est déjà marqué « %(status)s ».") % {"status": stop.get_status_display()})
        stop.status = status
        not_ready = []
        if status == DeliveryStop.Status.DELIVERED:
            for parcel in stop.parcels.exclude(status=ShopOrder.Status.CANCELLED):
                if parcel.status == ShopOrder.Status.READY:
                    workflow.change_status(parcel, ShopOrder.Status.DELIVERED, user=user)
                elif parcel.status != ShopOrder.Status.DELIVERED:
                    not_ready.append(parcel)
        notify_customer(stop)  # into the outbox, with the mark
    return not_ready


def notify_customer(stop):
    order = stop.order
    shops = [parcel.partner.name for parcel in stop.parcels.exclude(status=ShopOrder.Status.CANCELLED)
             .select_related("partner")]
    send_templated(f"local_delivery/emails/stop_{stop.status}",
                   {"stop": stop, "order": order, "shops": shops, "marketplace": town_identity(site=order.town)},
                   to=[order.email])
