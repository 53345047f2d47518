"""The delivery rules became a per-town (per Wagtail Site) setting: the rules an
association had saved before are kept, on the default Site, by migrations 0002-0003."""
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Site

from plugins.local_delivery.models import DeliverySettings
from tests import factories

BEFORE = [("local_delivery", "0001_initial")]
AFTER = [("local_delivery", "0003_deliverysettings_per_site")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_saved_rules_stay_with_the_default_site():
    factories.build_site()
    default = Site.objects.get(is_default_site=True)
    other = Site.objects.create(hostname="autre-ville.example.fr", port=80, root_page=default.root_page)
    try:
        old_apps = migrate(BEFORE)
        old_apps.get_model("local_delivery", "DeliverySettings").objects.create(
            zone_postcodes="30700", zone_communes="Uzès", food_days=[3], cutoff_time=dt.time(12, 30),
            round_capacity=12, local_fee=Decimal("2.50"), postal_fee=Decimal("5.00"))

        migrate(AFTER)
        kept = DeliverySettings.for_town()
        assert kept.site == default
        assert (kept.zone_postcodes, kept.zone_communes, kept.food_days, kept.cutoff_time, kept.round_capacity,
                kept.local_fee, kept.postal_fee) == ("30700", "Uzès", [3], dt.time(12, 30), 12,
                                                     Decimal("2.50"), Decimal("5.00"))
        # a town that shared the one row before keeps the same rules
        assert DeliverySettings.for_town(site=other).zone_postcodes == "30700"
        assert DeliverySettings.objects.count() == 2

        back = migrate(BEFORE)  # and back: the default Site's rules are the one row again
        rows = list(back.get_model("local_delivery", "DeliverySettings").objects.all())
        assert [(row.zone_postcodes, row.round_capacity) for row in rows] == [("30700", 12)]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_an_install_without_saved_rules_migrates_to_the_defaults():
    factories.build_site()
    try:
        migrate(BEFORE)
        migrate(AFTER)
        assert DeliverySettings.objects.count() == 0
        assert DeliverySettings.for_town().round_capacity == 20
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
