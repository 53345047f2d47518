"""The back office inside the Wagtail admin: its URLs, menu entries and styles."""
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
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
