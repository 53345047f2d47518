"""The order-tracking link of the confirmation e-mail: a signed token naming the order
(django.core.signing), so the customer follows their order without an account or a
login, and nobody can reach another order by changing a number in the address."""
from django.core import signing
from django.urls import reverse
from oscar.core.loading import get_model

SALT = "townmarket.order.tracking"


def token_for(order):
    """The same token for an order every time (no timestamp: the link never expires)."""
    return signing.Signer(salt=SALT).sign_object({"n": str(order.number)}, compress=True)


def path_for(order):
    return reverse("customer:order-tracking", args=[token_for(order)])


def order_for(token):
    """The order the token was made for, or None (forged, altered, or an order gone)."""
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    number = data.get("n") if isinstance(data, dict) else None
    if not isinstance(number, str):
        return None
    return get_model("order", "Order").objects.filter(number=number).first()
