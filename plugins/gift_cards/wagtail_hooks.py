from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from backoffice.menu import BackOfficeMenuItem

from . import admin_urls
from .admin_views import can_redeem
from .offer_views import can_manage_offers
from .receivers import REPORTS


@hooks.register("register_admin_urls")
def register_urls():
    return [path("cartes-cadeaux/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def redeem_menu_item():
    return BackOfficeMenuItem(_("Encaisser une carte cadeau"), reverse("gift_cards_redeem"), can_redeem,
                              name="encaisser-carte-cadeau", icon_name="tag", order=77)


@hooks.register("register_admin_menu_item")
def report_menu_item():
    return BackOfficeMenuItem(_("Cartes cadeaux"), reverse("gift_cards_report"), lambda user: user.has_perm(REPORTS),
                              name="cartes-cadeaux", icon_name="doc-full", order=78)


@hooks.register("register_admin_menu_item")
def offers_menu_item():
    return BackOfficeMenuItem(_("Cartes cadeaux et bons"), reverse("gift_cards_offers"), can_manage_offers,
                              name="cartes-cadeaux-et-bons", icon_name="tag", order=79)
