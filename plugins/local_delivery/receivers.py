"""The plugin's reactions to core events: order cancellations free their place in a
round, the association and volunteers get the plugin's permissions, the demo town
gets a delivery zone."""
from django.contrib.auth.models import Group
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from oscar.core.loading import get_model

from backoffice import roles
from townmarket.signals import demo_town_loaded, shop_order_status_changed

from . import panels  # noqa: F401  registers the back office's « envoi après paiement » panel
from .booking import release_cancelled_parcel
from .models import DeliverySettings, ShopDelivery

ShopOrder = get_model("order", "ShopOrder")

GRANTS = {
    roles.ASSOCIATION: ["local_delivery.run_rounds", "local_delivery.change_deliverysettings",
                        "local_delivery.view_deliverysettings"],
    roles.VOLUNTEERS: ["local_delivery.run_rounds"],
}


def grant_permissions(**kwargs):
    for group_name, names in GRANTS.items():
        Group.objects.get_or_create(name=group_name)
        for group in role_groups(group_name):
            group.permissions.add(*roles.permissions(names))


def role_groups(group_name):
    """Every town's group of a role: the default town's « Association » and another
    town's « Association · <nom> » (backoffice.TownTeam)."""
    return Group.objects.filter(Q(name=group_name) | Q(town_team__role=roles.TOWN_ROLES[group_name]))


@receiver(post_save, sender="backoffice.TownTeam")
def grant_to_a_new_town(sender, instance, **kwargs):
    """A town's role group (manage.py new_town) gets the plugin's permissions of its role;
    before the plugin's permissions exist (during migrate) its post_migrate grants them."""
    for group_name, names in GRANTS.items():
        if roles.TOWN_ROLES.get(group_name) == instance.role:
            try:
                instance.group.permissions.add(*roles.permissions(names))
            except LookupError:
                pass


@receiver(shop_order_status_changed)
def release_place_on_cancel(sender, shop_order, new_status, **kwargs):
    if new_status == ShopOrder.Status.CANCELLED:
        release_cancelled_parcel(shop_order)


@receiver(demo_town_loaded)
def demo_delivery(sender, town, site=None, **kwargs):
    """Volunteers deliver the demo town (the default Site); the wine merchants also ship by
    post, paid online or, as the demo has no card payment set up, by cheque before sending."""
    # `site`: the demo town loaded (the default Site, or a second demo town's)
    settings = DeliverySettings.for_town(site=site)
    if not settings.zone.configured:
        settings.zone_postcodes = town["postcode"]
        settings.zone_communes = town["city"]
        settings.save()
    shops = get_model("partner", "Partner").objects.filter(shop_page__kind__slug="caviste")
    if site is not None:
        shops = shops.filter(town=site)
    for partner in shops:
        ShopDelivery.objects.update_or_create(partner=partner, defaults={"postal": True,
                                                                          "payment_before_sending": True})
