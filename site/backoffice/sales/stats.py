"""Sales figures over a period, from the shops' parts of orders (cancelled ones left out).

Two counts never mixed up: « commandes » are the customers' orders (one basket paid
once, however many shops it holds), « parts de commerces » the shops' parts of them."""
import datetime
import zoneinfo
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from backoffice.periods import bounds

ShopOrder = get_model("order", "ShopOrder")
Line = get_model("order", "Line")
ZERO = Decimal("0.00")


@dataclass
class Period:
    label: str
    orders: int  # shops' parts
    revenue: Decimal
    customer_orders: int = 0


def counted(shop_orders, start, end):
    """The shops' parts placed in [start, end] (local days), cancelled ones left out."""
    since, until = bounds(start, end)
    return (shop_orders.filter(date_created__gte=since, date_created__lt=until)
            .exclude(status=ShopOrder.Status.CANCELLED))


def by_day(shop_orders, start, end):
    queryset = counted(shop_orders, start, end)
    rows = (queryset.annotate(day=TruncDate("date_created", tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)))
            .values("day").annotate(orders=Count("id"), revenue=Sum("subtotal")).order_by("day"))
    found = {row["day"]: row for row in rows}
    periods = []
    for offset in range((end - start).days + 1):
        day = start + datetime.timedelta(days=offset)
        row = found.get(day, {"orders": 0, "revenue": ZERO})
        periods.append((day, Period(day.strftime("%d/%m"), row["orders"], row["revenue"] or ZERO)))
    return periods


def by_week(daily):
    """Weeks (Monday first) from the daily figures."""
    weeks = {}
    for day, period in daily:
        monday = day - datetime.timedelta(days=day.weekday())
        week = weeks.setdefault(monday, Period(f"{monday:%d/%m}", 0, ZERO))
        week.orders += period.orders
        week.revenue += period.revenue
    return list(weeks.values())


def top_products(shop_orders, start, end, limit=10):
    queryset = counted(shop_orders, start, end)
    lines = Line.objects.filter(Exists(queryset.filter(order=OuterRef("order"), partner=OuterRef("partner"))))
    return list(lines.values("title", "partner__name").annotate(quantity=Sum("quantity"), revenue=Sum("line_price_incl_tax"))
                .order_by("-revenue", "title")[:limit])


def _grouped(queryset, field, empty_label):
    rows = (queryset.values(field).annotate(orders=Count("id"), customer_orders=Count("order", distinct=True),
                                            revenue=Sum("subtotal")).order_by("-revenue", field))
    return [Period(row[field] or empty_label, row["orders"], (row["revenue"] or ZERO).quantize(ZERO),
                   row["customer_orders"]) for row in rows]


def by_shop(shop_orders, start, end):
    return _grouped(counted(shop_orders, start, end), "partner__name", "")


def by_kind(shop_orders, start, end):
    """Per kind of shop (the vitrine's « Type de commerce »)."""
    return _grouped(counted(shop_orders, start, end), "partner__shop_page__kind__name", _("Sans type"))


def totals(shop_orders, start, end):
    """Period("", shops' parts, revenue, customer orders) over [start, end]."""
    queryset = counted(shop_orders, start, end)
    row = queryset.aggregate(orders=Count("id"), customer_orders=Count("order", distinct=True), revenue=Sum("subtotal"))
    return Period("", row["orders"], (row["revenue"] or ZERO).quantize(ZERO), row["customer_orders"])


def customer_key(user_id, user_email, guest_email, phone, order_id):
    """One customer, whether they ordered with their account or as a guest: the e-mail
    (lower case) first, else the account, else the phone; else the order alone."""
    email = (user_email or guest_email or "").strip().lower()
    if email:
        return "e:" + email
    if user_id:
        return f"u:{user_id}"
    if phone:
        return f"p:{phone}"
    return f"o:{order_id}"


def customers(shop_orders, start, end):
    """(customers, returning customers) of [start, end]: people with an order in the
    period; returning, those with two orders or more by its end (one before it counts).
    Counted in memory, never listed: no one's name or address leaves this function."""
    _since, until = bounds(start, end)
    every = shop_orders.exclude(status=ShopOrder.Status.CANCELLED).filter(date_created__lt=until)
    rows = set(every.values_list("order_id", "order__user_id", "order__user__email", "order__guest_email",
                                 "order__customer_phone"))
    orders_per_customer = Counter(customer_key(user, user_email, guest_email, phone, order)
                                  for order, user, user_email, guest_email, phone in rows)
    in_period = {customer_key(user, user_email, guest_email, phone, order)
                 for order, user, user_email, guest_email, phone
                 in set(counted(shop_orders, start, end).values_list(
                     "order_id", "order__user_id", "order__user__email", "order__guest_email", "order__customer_phone"))}
    return len(in_period), sum(1 for key in in_period if orders_per_customer[key] > 1)
