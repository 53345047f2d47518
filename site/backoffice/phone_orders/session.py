"""What an order being taken by phone keeps in the staff member's session: the
customer, and the id of the order's own Oscar basket (no owner), apart from the staff
member's own basket."""
from oscar.core.loading import get_model

CUSTOMER_KEY = "phone_order_customer"
BASKET_KEY = "phone_order_basket"

Basket = get_model("basket", "Basket")


def customer(request):
    """{"first_name", "last_name", "phone" (E.164), "email", "user_id"} or None."""
    return request.session.get(CUSTOMER_KEY)


def set_customer(request, data):
    request.session[CUSTOMER_KEY] = data


def basket(request, create=False):
    """The order's open basket, priced by the request's strategy; None if there is none
    yet and `create` is False."""
    pk = request.session.get(BASKET_KEY)
    found = Basket.open.filter(pk=pk, owner__isnull=True).first() if isinstance(pk, int) else None
    if found is None and create:
        found = Basket.objects.create()
        request.session[BASKET_KEY] = found.pk
    if found is not None:
        found.strategy = request.strategy
        # Oscar's own lines, plus what pricing each line reads: no query per line.
        found._lines = (found.lines.select_related("product__product_class", "product__parent__product_class",
                                                   "stockrecord")
                        .prefetch_related("attributes", "product__images", "product__stockrecords").order_by("pk"))
    return found


def forget(request):
    """The order is placed (or given up): the next one starts afresh."""
    for key in (CUSTOMER_KEY, BASKET_KEY):
        request.session.pop(key, None)
