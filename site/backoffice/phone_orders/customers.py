"""Finding who phones: customers with an account, and the customers of earlier orders
(their name and phone as typed then). A merchant finds only their own shop's customers."""
import re
from dataclasses import dataclass

import phonenumbers
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, Subquery
from oscar.core.loading import get_model
from wagtail.models import Site

from backoffice import roles
from townmarket.text import is_row_id

Order = get_model("order", "Order")
LIMIT = 10


@dataclass(frozen=True)
class Customer:
    key: str  # « user:12 » or « order:34 »: what the page posts back, looked up again
    first_name: str
    last_name: str
    phone: str  # E.164, or ""
    email: str
    user_id: object = None

    @property
    def name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def phone_national(self):
        if not self.phone:
            return ""
        return phonenumbers.format_number(phonenumbers.parse(self.phone), phonenumbers.PhoneNumberFormat.NATIONAL)

    def as_session(self):
        return {"first_name": self.first_name, "last_name": self.last_name, "phone": self.phone,
                "email": self.email, "user_id": self.user_id}


def as_phone(text):
    """« 06 11 22 33 44 » or « +33611223344 » → « +33611223344 »; None for a name."""
    if not re.fullmatch(r"[\d\s.+()-]{6,25}", text):
        return None
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def split_name(name):
    first, _space, last = (name or "").strip().partition(" ")
    return (first, last) if last else ("", first)


def orders_seen_by(user):
    """A town's association: the orders of its town; a merchant: their shops'."""
    orders = Order.objects.all()
    if user.has_perm(roles.ALL_SHOPS):
        return roles.town_orders(user, orders)
    return orders.filter(shop_orders__partner__in=roles.managed_partners(user))


def customers_seen_by(staff):
    """The customers' accounts `staff` may take an order for: a superuser, all; a town's
    association, those who ordered in their towns (and, on an install of one town,
    those who never ordered); a merchant, those who ordered from their shops."""
    users = get_user_model().objects.filter(is_active=True, is_staff=False, groups__isnull=True)
    if staff.is_superuser:
        return users
    ordered = Q(pk__in=orders_seen_by(staff).values("user_id"))
    if staff.has_perm(roles.ALL_SHOPS):  # in the same query: "there is no second town"
        first_town = Site.objects.order_by("pk").values("pk")[:1]
        one_town = ~Exists(Site.objects.exclude(pk=Subquery(first_town)))
        ordered |= ~Exists(Order.objects.filter(user=OuterRef("pk"))) & one_town
    return users.filter(ordered)


def from_order(order):
    first, last = split_name(order.customer_name)
    email = order.guest_email or (order.user.email if order.user_id else "")
    phone = order.customer_phone.as_e164 if order.customer_phone else ""
    return Customer(f"order:{order.pk}", first, last, phone, email.lower(), order.user_id)


def from_user(user, phone=""):
    phone = str(getattr(phone, "as_e164", phone) or "")
    return Customer(f"user:{user.pk}", user.first_name, user.last_name, phone, user.email.lower(), user.pk)


def search(text, staff):
    """At most LIMIT customers matching `text` (every word in the name, or the phone),
    each person once, in two queries."""
    text = text.strip()[:100]
    if not text:
        return []
    phone = as_phone(text)
    words = text.split()[:4]
    orders = orders_seen_by(staff).select_related("user")
    if phone:
        orders = orders.filter(customer_phone=phone)
    else:
        for word in words:
            orders = orders.filter(customer_name__icontains=word)
    found, seen = [], set()
    for order in orders.order_by("-date_placed", "-pk")[:5 * LIMIT]:
        customer = from_order(order)
        identity = customer.user_id or (customer.name.lower(), customer.phone)
        if identity not in seen:
            seen.add(identity)
            found.append(customer)
    users = customers_seen_by(staff)
    last_phone = Order.objects.filter(user=OuterRef("pk")).exclude(customer_phone="").order_by("-date_placed")
    users = users.annotate(last_phone=Subquery(last_phone.values("customer_phone")[:1]))
    if phone:
        users = users.filter(Q(last_phone=phone) | Q(addresses__phone_number=phone))
    else:
        for word in words:
            users = users.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word))
    for user in users.distinct().order_by("last_name", "first_name", "pk")[:LIMIT]:
        if user.pk not in seen:
            seen.add(user.pk)
            found.append(from_user(user, user.last_phone))
    return found[:LIMIT]


def find(key, staff):
    """The customer a posted « user:12 » or « order:34 » names, if `staff` may see them."""
    kind, _colon, pk = (key or "").partition(":")
    if not is_row_id(pk):
        return None
    if kind == "order":
        order = orders_seen_by(staff).select_related("user").filter(pk=int(pk)).first()
        return from_order(order) if order else None
    if kind == "user":
        user = customers_seen_by(staff).filter(pk=int(pk)).first()
        if user is None:
            return None
        last = Order.objects.filter(user=user).exclude(customer_phone="").order_by("-date_placed").first()
        return from_user(user, last.customer_phone if last else "")
    return None
