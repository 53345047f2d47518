"""Sales figures over a period, from the shops' parts of orders (cancelled ones left out)."""
import datetime
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from oscar.core.loading import get_model

ShopOrder = get_model("order", "ShopOrder")
Line = get_model("order", "Line")


@dataclass
class Period:
    label: str
    orders: int
    revenue: Decimal


def local_today():
    return timezone.localdate()


def counted(shop_orders, days, today=None):
    today = today or local_today()
    start = today - datetime.timedelta(days=days - 1)
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    return shop_orders.filter(date_created__gte=since).exclude(status=ShopOrder.Status.CANCELLED), start, today


def by_day(shop_orders, days=90, today=None):
    queryset, start, today = counted(shop_orders, days, today)
    rows = (queryset.annotate(day=TruncDate("date_created", tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)))
            .values("day").annotate(orders=Count("id"), revenue=Sum("subtotal")).order_by("day"))
    found = {row["day"]: row for row in rows}
    periods = []
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        row = found.get(day, {"orders": 0, "revenue": Decimal("0.00")})
        periods.append((day, Period(day.strftime("%d/%m"), row["orders"], row["revenue"] or Decimal("0.00"))))
    return periods


def by_week(daily):
    """Weeks (Monday first) from the daily figures."""
    weeks = {}
    for day, period in daily:
        monday = day - datetime.timedelta(days=day.weekday())
        week = weeks.setdefault(monday, Period(f"{monday:%d/%m}", 0, Decimal("0.00")))
        week.orders += period.orders
        week.revenue += period.revenue
    return list(weeks.values())


def top_products(shop_orders, days=90, today=None, limit=10):
    queryset, _, _ = counted(shop_orders, days, today)
    lines = Line.objects.filter(Exists(queryset.filter(order=OuterRef("order"), partner=OuterRef("partner"))))
    return list(lines.values("title", "partner__name").annotate(quantity=Sum("quantity"), revenue=Sum("line_price_incl_tax"))
                .order_by("-revenue", "title")[:limit])


def by_shop(shop_orders, days=90, today=None):
    queryset, _, _ = counted(shop_orders, days, today)
    return [Period(row["partner__name"], row["orders"], row["revenue"])
            for row in queryset.values("partner__name").annotate(orders=Count("id"), revenue=Sum("subtotal"))
            .order_by("-revenue", "partner__name")]


def totals(periods):
    return Period("", sum(p.orders for p in periods), sum((p.revenue for p in periods), Decimal("0.00")))
