"""The core never imports a plugin, and the store works with none of them."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from townmarket import extensions
from tests.integration.helpers import add_to_basket, place_order

ROOT = Path(__file__).resolve().parents[2]
CORE = ["site", "oscar_apps", "shops_pages"]


def test_no_core_module_imports_a_plugin():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in CORE for path in (ROOT / folder).rglob("*.py")
        if re.search(r"^\s*(from|import)\s+plugins\b", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert offenders == []


def test_the_project_starts_without_plugins():
    env = {**os.environ, "TOWNMARKET_PLUGINS": "", "DJANGO_SETTINGS_MODULE": "townmarket.settings.test"}
    script = ("import django; django.setup(); from django.conf import settings; "
              "from django.core.management import call_command; "
              "assert not [a for a in settings.INSTALLED_APPS if a.startswith('plugins.')]; "
              "call_command('check'); from django.urls import reverse; print(reverse('checkout:index'))")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**env, "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}"},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("/boutique/checkout/")


@pytest.fixture
def without_plugins():
    """Unregister every hook a plugin registered, as if no plugin were installed."""
    saved = {name: list(entries) for name, entries in extensions._hooks.items()}
    for entries in extensions._hooks.values():
        entries[:] = [(order, fn) for order, fn in entries if not fn.__module__.startswith("plugins.")]
    yield
    for name, entries in saved.items():
        extensions._hooks[name][:] = entries


@pytest.mark.django_db
def test_without_plugins_every_shop_offers_click_and_collect_only(client, town, without_plugins):
    from plugins.local_delivery.models import DeliverySettings, ShopDelivery

    settings = DeliverySettings.for_town()
    settings.zone_postcodes = "21130"
    settings.save()
    ShopDelivery.objects.create(partner=town["cheese"].partner, postal=True, click_and_collect=False)
    add_to_basket(client, town["comte"])
    page = client.get(reverse("checkout:index"))
    assert [[o.code for o in group.options] for group in page.context["shop_groups"]] == [["click_collect"]]
    order = place_order(client, [(town["novel"], 1)])
    assert [so.fulfilment_code for so in order.shop_orders.all()] == ["click_collect", "click_collect"]
