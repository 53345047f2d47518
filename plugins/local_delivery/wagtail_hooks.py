from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from backoffice import roles
from backoffice.menu import BackOfficeMenuItem

from . import urls
from .views import RUN_ROUNDS


@hooks.register("register_admin_urls")
def register_urls():
    return [path("livraison/", include(urls))]


@hooks.register("register_admin_menu_item")
def rounds_menu_item():
    return BackOfficeMenuItem(_("Tournées"), reverse("local_delivery_rounds"), lambda user: user.has_perm(RUN_ROUNDS),
                              name="tournees", icon_name="calendar-alt", order=75)


@hooks.register("register_admin_menu_item")
def shop_delivery_menu_item():
    return BackOfficeMenuItem(_("Retrait et livraison"), reverse("local_delivery_shop"),
                              lambda user: user.has_perm(roles.CHANGE_ORDERS) and roles.manages_a_shop(user),
                              name="modes-de-remise", icon_name="calendar-alt", order=72)
