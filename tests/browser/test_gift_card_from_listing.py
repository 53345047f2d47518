"""On a phone: Hélène finds the town's gift card in the « Cartes cadeaux » category;
its button leads to the card's form (not straight into the basket), and the basket
and the checkout say what she bought in a sentence, with no pickup or delivery."""
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model
from playwright.sync_api import expect

from plugins.gift_cards.demo import create_offer, gift_card_category
from plugins.gift_cards.lines import french_day
from plugins.gift_cards.models import Kind
from tests import factories
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_gift_card_from_a_listing_goes_through_its_form_to_a_readable_basket_line(live_server, page):
    factories.build_site()
    association = get_model("partner", "Partner").objects.create(name="Association des commerçants", code="carte-ville")
    card = create_offer(association, "Carte cadeau de la ville", "<p>Valable partout en ville.</p>", Decimal("50.00"),
                        kind=Kind.TOWN, preset_amounts="20 50", min_amount=Decimal("10"), max_amount=Decimal("300"))

    page.goto(live_server.url + gift_card_category().get_absolute_url())
    listing_card = page.locator(".product-card", has_text="Carte cadeau de la ville")
    expect(listing_card).to_contain_text("À partir de 10,00 €")
    expect(listing_card.get_by_role("button", name="Ajouter au panier")).to_have_count(0)
    listing_card.get_by_role("link", name="Choisir le montant").click()

    expect(page).to_have_url(live_server.url + card.get_absolute_url())
    expect(page.get_by_role("heading", name="Carte cadeau de la ville", level=1)).to_be_visible()
    expect(page.get_by_text("À partir de 10,00 €")).to_be_visible()
    assert_accessible(page, "gift card product page")
    page.get_by_label("Autre montant", exact=True).check()
    page.get_by_label("Autre montant (en euros)").fill("30")
    page.get_by_label("Prénom et nom du destinataire").fill("Paul Ami")
    page.get_by_label("E-mail du destinataire").fill("paul@example.org")
    page.get_by_role("button", name="Ajouter au panier").click()

    line = f"Carte cadeau de 30,00 € pour Paul Ami, envoyée le {french_day(timezone.localdate())}"
    expect(page).to_have_url(live_server.url + "/boutique/basket/")
    expect(page.get_by_text(line)).to_be_visible()
    expect(page.get_by_text("Montant de la carte")).to_have_count(0)

    page.goto(live_server.url + "/boutique/checkout/")
    expect(page.get_by_text(line)).to_be_visible()
    expect(page.get_by_text("Carte cadeau envoyée par e-mail")).to_be_visible()
    expect(page.get_by_text("Retrait en magasin")).to_have_count(0)
    expect(page.locator("#delivery-address")).to_be_hidden()
