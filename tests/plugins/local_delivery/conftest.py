import datetime as dt

import pytest

from plugins.local_delivery import clock
from plugins.local_delivery.models import DeliverySettings, ShopDelivery
from tests import factories

MONDAY_MORNING = dt.datetime(2026, 11, 23, 10, 0)  # Monday 23 November 2026, 10:00 in Paris


@pytest.fixture
def frozen_clock(monkeypatch):
    """The plugin's clock, set by `frozen_clock.set(datetime)`; Monday 23 November 2026 10:00 by default."""

    class Clock:
        value = MONDAY_MORNING

        def set(self, value):
            self.value = value

    fake = Clock()
    monkeypatch.setattr(clock, "now", lambda: fake.value)
    return fake


@pytest.fixture
def zone(db):
    factories.build_site()  # the town whose rules these are
    settings = DeliverySettings.for_town()
    settings.zone_postcodes = "21130, 21910"
    settings.zone_communes = ""
    settings.round_capacity = 20
    settings.save()
    return settings


@pytest.fixture
def market(town, zone, frozen_clock):
    """The test town with a delivery zone, plus a wine merchant who ships by post."""
    wine_shop = factories.shop("Cave Test", kind="Caviste")
    ShopDelivery.objects.create(partner=wine_shop.partner, postal=True)
    return {**town, "wine_shop": wine_shop,
            "wine": factories.product(wine_shop, title="Marsannay", price="22.00", category_name="Vins")}


ADDRESS = {"delivery_line1": "12 rue des Tanneurs", "delivery_line2": "2e étage",
           "delivery_postcode": "21130", "delivery_city": "Val-sur-Ouche",
           "delivery_notes": "Sonner chez Jourdan"}
