"""The plugin's reactions to core events: order cancellations free their place in a
round, the association and volunteers get the plugin's permissions, the demo town
gets a delivery zone."""
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
