"""Whose data: a customer's account, or a guest found by the association by e-mail or
phone. The orders are pinned by id, so an erasure that blanks the e-mail still knows them."""
from oscar.core.loading import get_model
from phonenumber_field.phonenumber import PhoneNumber
from phonenumbers import NumberParseException

from townmarket.extensions import DataSubject

Order = get_model("order", "Order")


def normalise_phone(text):
    """'06 12 34 56 78' → '+33612345678'; None for what is not a phone number."""
    try:
        number = PhoneNumber.from_string((text or "").strip(), region="FR")
    except (NumberParseException, ValueError):
        return None
    return number.as_e164 if number.is_valid() else None


def _subject(user, order_ids, emails=(), phones=()):
    orders = Order.objects.filter(pk__in=list(order_ids))
    known = orders.values_list("guest_email", "customer_phone")
    emails = {email.lower() for email in emails if email} | {email.lower() for email, _phone in known if email}
    phones = {phone for phone in phones if phone} | {str(phone) for _email, phone in known if phone}
    return DataSubject(user=user, orders=orders, emails=frozenset(emails), phones=frozenset(phones))


def of_user(user):
    """A signed-in customer: their account, the orders it placed, and the orders placed
    without signing in with its e-mail (confirmed when the account was created)."""
    orders = Order.objects.filter(user=user)
    if user.email:
        orders = orders | guest_orders(email=user.email)
    return _subject(user, orders.values_list("pk", flat=True), emails=[user.email])


def guest_orders(email="", phone=""):
    """Orders placed without an account with this e-mail or this phone number."""
    orders = Order.objects.filter(user=None)
    if email:
        return orders.filter(guest_email__iexact=email.strip())
    phone = normalise_phone(phone)
    return orders.filter(customer_phone=phone) if phone else orders.none()


def of_guest(email="", phone=""):
    """A guest, by the e-mail or the phone number they gave when ordering."""
    order_ids = guest_orders(email, phone).values_list("pk", flat=True)
    return _subject(None, order_ids, emails=[email.strip()] if email else [],
                    phones=[normalise_phone(phone)] if phone else [])


def of_orders(order_ids):
    return _subject(None, order_ids)
