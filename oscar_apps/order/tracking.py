"""The order-tracking link of the confirmation e-mail: a signed token naming the order
(django.core.signing), so the customer follows their order without an account or a
login, and nobody can reach another order by changing a number in the address."""
from django.core import signing
from django.urls import reverse
from oscar.core.loading import get_model

SALT = "townmarket.order.tracking"


def token_for(order):
    return signing.dumps({"n": str(order.number)}, salt=SALT, compress=True)


def path_for(order):
    return reverse("customer:order-tracking", args=[token_for(order)])


def order_for(token):
    """The order the token was made for, or None (forged, altered, or an order gone)."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    number = data.get("n") if isinstance(data, dict) else None
    if not isinstance(number, str):
        return None
    return get_model("order", "Order").objects.filter(number=number).first()
