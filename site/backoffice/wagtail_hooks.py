"""The back office inside the Wagtail admin: its URLs, menu entries and styles."""
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent

from . import roles, urls
from .models import ShopApplication
from .orders.queries import new_orders_count


@hooks.register("register_admin_urls")
def register_urls():
    return [path("commerce/", include(urls))]


@hooks.register("insert_global_admin_css")
def backoffice_css():
    return format_html('<link rel="stylesheet" href="{}">', static("backoffice/backoffice.css"))


class CountingMenuItem(MenuItem):
    """A menu entry whose label shows how many things wait (« Commandes (3) »)."""

    def count(self, request):
        return 0

    def render_component(self, request):
        waiting = self.count(request)
        label = f"{self.label} ({waiting})" if waiting else self.label
        return LinkMenuItemComponent(self.name, label, self.url, icon_name=self.icon_name,
                                     classname=self.classname, attrs=self.attrs)


class ProductsMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.can_manage_products(request.user)


class OrdersMenuItem(CountingMenuItem):
    def is_shown(self, request):
        return roles.can_see_orders(request.user)

    def count(self, request):
        return new_orders_count(request.user)


class SalesMenuItem(OrdersMenuItem):
    def count(self, request):
        return 0


class ApplicationsMenuItem(CountingMenuItem):
    def is_shown(self, request):
        return request.user.has_perm(roles.REVIEW_APPLICATIONS)

    def count(self, request):
        return ShopApplication.objects.filter(status=ShopApplication.Status.PENDING).count()


class MyShopPageMenuItem(MenuItem):
    """A merchant's shortcut to their vitrine's editor."""

    def shop_page(self, request):
        partner = roles.managed_partners(request.user).select_related("shop_page").first()
        return getattr(partner, "shop_page", None) if partner else None

    def is_shown(self, request):
        return not request.user.has_perm(roles.ALL_SHOPS) and self.shop_page(request) is not None

    def render_component(self, request):
        page = self.shop_page(request)
        return LinkMenuItemComponent(self.name, self.label, reverse("wagtailadmin_pages:edit", args=[page.pk]),
                                     icon_name=self.icon_name, attrs=self.attrs)


@hooks.register("register_admin_menu_item")
def my_shop_menu_item():
    return MyShopPageMenuItem(_("Ma vitrine"), "#", name="ma-vitrine", icon_name="home", order=50)


@hooks.register("register_admin_menu_item")
def products_menu_item():
    return ProductsMenuItem(_("Produits"), reverse("backoffice_products"), name="produits", icon_name="tag", order=60)


@hooks.register("register_admin_menu_item")
def orders_menu_item():
    return OrdersMenuItem(_("Commandes"), reverse("backoffice_orders"), name="commandes", icon_name="list-ul", order=70)


@hooks.register("register_admin_menu_item")
def sales_menu_item():
    return SalesMenuItem(_("Ventes"), reverse("backoffice_sales"), name="ventes", icon_name="table", order=80)


@hooks.register("register_admin_menu_item")
def applications_menu_item():
    return ApplicationsMenuItem(_("Inscriptions"), reverse("backoffice_applications"), name="inscriptions",
                                icon_name="form", order=90)


class MyShopPanel(Component):
    """The dashboard's first panel for merchants: their shop's shortcuts, big enough
    for a thumb, with the orders waiting."""

    name = "my_shop"
    order = 10
    template_name = "backoffice/home_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        user = self.request.user
        partners = list(roles.managed_partners(user).select_related("shop_page")[:2])
        own_shop = partners[0] if len(partners) == 1 and not user.has_perm(roles.ALL_SHOPS) else None
        return {
            "shop_page": getattr(own_shop, "shop_page", None) if own_shop else None,
            "can_products": roles.can_manage_products(user),
            "can_orders": roles.can_see_orders(user),
            "new_orders": new_orders_count(user) if roles.can_see_orders(user) else 0,
            "can_review": user.has_perm(roles.REVIEW_APPLICATIONS),
            "pending_applications": ShopApplication.objects.filter(status=ShopApplication.Status.PENDING).count()
            if user.has_perm(roles.REVIEW_APPLICATIONS) else 0,
        }


@hooks.register("construct_homepage_panels")
def add_my_shop_panel(request, panels):
    if roles.can_manage_products(request.user) or roles.can_see_orders(request.user):
        panels.insert(0, MyShopPanel(request))
