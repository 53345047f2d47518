"""The orders a user may see, one shop's part at a time."""
from oscar.core.loading import get_model

from backoffice import roles
from oscar_apps.order.statuses import HIDDEN_FROM_SHOPS

ShopOrder = get_model("order", "ShopOrder")


def shop_orders_for(user):
    if not roles.can_see_orders(user):
        return ShopOrder.objects.none()
    # An order waiting for its online payment is not the shops' business yet.
    queryset = ShopOrder.objects.select_related("order", "partner").exclude(order__status__in=HIDDEN_FROM_SHOPS)
    if user.is_superuser:  # the platform administrator: every town's
        return queryset
    return queryset.filter(partner__in=roles.managed_partners(user))  # the town's shops for its association


@roles.remembered
def new_orders_count(user):
    return shop_orders_for(user).filter(status=ShopOrder.Status.NEW).count()
