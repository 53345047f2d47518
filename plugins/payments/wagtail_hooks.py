from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from backoffice import roles
from backoffice.menu import BackOfficeMenuItem

from . import admin_urls


@hooks.register("register_admin_urls")
def register_urls():
    return [path("paiements/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def settlement_menu_item():
    return BackOfficeMenuItem(_("Règlements"), reverse("payments_settlement"), roles.can_see_orders,
                              name="reglements", icon_name="doc-full", order=76)


@hooks.register("register_admin_menu_item")
def payout_account_menu_item():
    return BackOfficeMenuItem(_("Coordonnées bancaires"), reverse("payments_payout_account"),
                              lambda user: user.has_perm(roles.CHANGE_ORDERS) and roles.manages_a_shop(user),
                              name="coordonnees-bancaires", icon_name="doc-full", order=77)
