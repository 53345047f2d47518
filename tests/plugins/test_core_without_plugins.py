"""The core never imports a plugin, and the store works with none of them."""
import html
import os
import re
import subprocess
import sys
from pathlib import Path

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import get_resolver, reverse

from townmarket import extensions
from tests.integration.helpers import add_to_basket, checkout_data, place_order

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
    """Unregister every hook a plugin registered, as if no plugin were installed. The
    URLconf is loaded first, so that the tests run after these keep the plugins' URLs
    (PUBLIC_URLS are read once, when the URLconf is imported)."""
    get_resolver().url_patterns  # noqa: B018
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


# What only a plugin offers: gift cards, home or postal delivery, online card payment.
# (The core's own « Retrait ou livraison » / « Frais de livraison » headings are not
# counted: they name the choice every shop's part has, whatever the plugins.)
PLUGIN_WORDING = re.compile(r"cartes? cadeaux?|bons? cadeaux?|livraisons? à domicile|adresse de livraison|"
                            r"livraisons? possibles?|à la livraison|envoi par la poste|la poste|tournées?|bénévoles|"
                            r"stripe|carte bancaire|paiement en ligne|payer en ligne", re.IGNORECASE)


def plugin_wording(text):
    return sorted({found.group(0).lower() for found in PLUGIN_WORDING.finditer(html.unescape(text))})


def email_text(message):
    return "\n".join([message.subject, message.body, *(content for content, _type in getattr(message, "alternatives", []))])


@pytest.mark.django_db
def test_without_plugins_the_storefront_says_nothing_of_them(client, town, without_plugins,
                                                              django_capture_on_commit_callbacks):
    """Removing a plugin removes its words too: no « carte cadeau », « livraison » or
    card payment left on the pages, the checkout and the e-mails of an order."""
    seen = {}
    for url in ["/", "/commerces/", town["cheese"].url, reverse("catalogue:index"), town["comte"].get_absolute_url(),
                "/inscrire-mon-commerce/"]:
        seen[url] = client.get(url, follow=True).content.decode()
    add_to_basket(client, town["comte"])
    add_to_basket(client, town["novel"])
    seen["basket"] = client.get(reverse("basket:summary")).content.decode()
    seen["checkout"] = client.get(reverse("checkout:index")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        placed = client.post(reverse("checkout:index"), checkout_data(client))
    assert placed.status_code == 302
    seen["thank you"] = client.get(placed["Location"]).content.decode()
    assert len(mail.outbox) == 3  # the customer's confirmation and each shop's new order
    for message in mail.outbox:
        seen[f"e-mail « {message.subject} »"] = email_text(message)

    assert {name: plugin_wording(text) for name, text in seen.items()} == {name: [] for name in seen}


@pytest.mark.django_db
def test_a_part_payment_is_named_by_its_plugin_not_as_a_gift_card(client, team, town, without_plugins,
                                                                   django_capture_on_commit_callbacks):
    """The core shows a part payment (BASKET_ADJUSTMENTS) in the plugin's own words (here
    a loyalty card's points) or in neutral ones: the checkout, the thank-you page, the
    shop's e-mail and the back office's order page never call it a gift card."""
    def points(basket, checkout):
        line = basket.all_lines()[0]
        return [extensions.Adjustment(code="fidelite", label="Points fidélité", amount=Decimal("2.00"),
                                      means="Carte de fidélité", shares={line.stockrecord.partner_id: Decimal("2.00")})]

    with extensions.register_temporarily(extensions.BASKET_ADJUSTMENTS, points):
        add_to_basket(client, town["comte"])
        checkout_page = client.get(reverse("checkout:index")).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            placed = client.post(reverse("checkout:index"), checkout_data(client))
        assert placed.status_code == 302
    thank_you = client.get(placed["Location"]).content.decode()
    shop_email = next(email_text(m) for m in mail.outbox if "Vous avez une nouvelle commande" in m.body)
    shop_order = town["cheese"].partner.shop_orders.get()
    client.force_login(team["alice"])
    back_office = client.get(reverse("backoffice_order", args=[shop_order.pk])).content.decode()
    back_office = back_office[back_office.index("<main"):back_office.index("</main>")]  # not the plugins' menu items

    def plain(text):
        return html.unescape(text).replace("\xa0", " ")

    assert "Points fidélité : −2,00 €" in plain(checkout_page)
    assert "Payé : 2,00 € — Carte de fidélité." in plain(thank_you)
    for text in (shop_email, back_office):
        assert "Déjà réglé à la commande : 2,00 € — reste à payer : 10,40 €" in plain(text)
    assert {name: plugin_wording(text) for name, text in [("checkout", checkout_page), ("thank you", thank_you),
                                                          ("shop e-mail", shop_email),
                                                          ("back office", back_office)]} == {
        "checkout": [], "thank you": [], "shop e-mail": [], "back office": []}
