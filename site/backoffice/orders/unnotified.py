"""The association's dashboard panel: the new orders of shops that have no e-mail
address of their own (the association's products, a shop whose team gave none).
Their order e-mails went to the association's contact, or to nobody when the town has
no contact address: either way the association has to pass them on."""
from django.utils.functional import cached_property
from oscar.core.loading import get_model
from wagtail.admin.ui.components import Component

from backoffice import roles
from townmarket.town import town

SHOWN = 20


def unnotified_shop_orders(user=None):
    """New shop orders whose shop has no e-mail: none on its vitrine, none among its team
    (of the shops `user` manages: their town's, if given)."""
    ShopOrder = get_model("order", "ShopOrder")
    shop_orders = ShopOrder.objects.filter(status=ShopOrder.Status.NEW)
    if user is not None and not user.is_superuser:
        shop_orders = shop_orders.filter(partner__in=roles.managed_partners(user))
    return (shop_orders
            .exclude(partner__shop_page__email__gt="").exclude(partner__users__email__gt="")
            .select_related("order", "partner").order_by("-order__date_placed", "-pk"))


class UnnotifiedOrdersPanel(Component):
    name = "unnotified_orders"
    order = 20
    template_name = "backoffice/orders/unnotified_panel.html"

    def __init__(self, request):
        self.request = request

    @cached_property
    def shop_orders(self):
        return list(unnotified_shop_orders(self.request.user)[:SHOWN + 1])

    def render_html(self, parent_context=None):
        return super().render_html(parent_context) if self.shop_orders else ""

    def get_context_data(self, parent_context):
        return {"shop_orders": self.shop_orders[:SHOWN], "more": len(self.shop_orders) > SHOWN,
                "contact": town(self.request).email}


def add_unnotified_orders_panel(request, panels):
    user = request.user
    if user.has_perm(roles.ALL_SHOPS) and user.has_perm(roles.VIEW_ORDERS):
        panels.append(UnnotifiedOrdersPanel(request))
