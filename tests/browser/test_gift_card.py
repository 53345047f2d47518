"""On a phone: Hélène buys a town gift card for Marie and pays by card; Marie's
e-mail arrives with the code; Marie, on her own phone, spends part of it on a
cheese and pays the rest at pickup."""
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from plugins.gift_cards.demo import create_offer
from plugins.gift_cards.models import GiftCard, Kind
from tests import factories
from tests.browser.steps import add_to_basket, fill_contact_details
from tests.plugins.payments.conftest import WEBHOOK, fake_stripe  # noqa: F401  the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_buy_a_town_card_receive_it_and_spend_it_at_checkout(live_server, page, browser, fake_stripe):  # noqa: F811
    from decimal import Decimal

    from oscar.core.loading import get_model

    fake_stripe.webhook_url = live_server.url + WEBHOOK
    factories.build_site()
    cheese = factories.shop("Fromagerie du Pont", kind="Fromagerie")
    comte = factories.product(cheese, title="Comté 24 mois", price="14.20", stock=4)
    association = get_model("partner", "Partner").objects.create(name="Association des commerçants", code="carte-ville")
    town_card = create_offer(association, "Carte cadeau de la ville", "<p>Partout en ville.</p>", Decimal("50.00"),
                             kind=Kind.TOWN, preset_amounts="20 50", min_amount=Decimal("10"), max_amount=Decimal("300"))

    # Hélène chooses a free amount and a recipient.
    page.goto(live_server.url + town_card.get_absolute_url())
    page.get_by_label("Autre montant", exact=True).check()
    page.get_by_label("Autre montant (en euros)").fill("10")
    page.get_by_label("Prénom et nom du destinataire").fill("Marie Dupont")
    page.get_by_label("E-mail du destinataire").fill("marie@example.org")
    page.get_by_label("Votre message (facultatif)").fill("Bon anniversaire !")
    page.get_by_role("button", name="Ajouter au panier").click()
    expect(page.get_by_text("« Carte cadeau de la ville » pour Marie Dupont est dans votre panier.")).to_be_visible()

    page.goto(live_server.url + "/boutique/checkout/")
    expect(page.get_by_text("Carte cadeau envoyée par e-mail")).to_be_visible()
    expect(page.locator("#delivery-address")).to_be_hidden()
    fill_contact_details(page)
    page.get_by_label("Carte bancaire en ligne").check()
    page.get_by_role("button", name="Valider la commande").click()
    page.get_by_label("Numéro de carte").fill("4242 4242 4242 4242")
    page.get_by_role("button", name="Payer 10,00 €").click()
    expect(page.get_by_role("heading", name="Merci, votre commande est enregistrée")).to_be_visible()

    # Marie's e-mail, with the card attached.
    (message,) = [m for m in mail.outbox if m.to == ["marie@example.org"]]
    assert message.subject == "Hélène Jourdan vous offre une carte cadeau"
    code = re.search(r"Code : ([0-9A-Z-]{19})", message.body).group(1)
    assert message.attachments[0][2] == "application/pdf"

    # Marie, on her phone, buys a Comté and types the code as she reads it.
    marie = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844}).new_page()
    add_to_basket(marie, live_server.url, comte)
    marie.goto(live_server.url + "/boutique/checkout/")
    marie.get_by_label("Code de la carte cadeau").fill(code.lower().replace("-", " "))
    marie.get_by_role("button", name="Utiliser cette carte").click()
    expect(marie.get_by_text("Carte cadeau acceptée : 10,00 € déduits de votre commande. "
                             "Il restera 0,00 € sur la carte.")).to_be_visible()
    expect(marie.locator("#checkout-due")).to_have_text(re.compile(r"4,20\s€"))
    fill_contact_details(marie)
    marie.get_by_label("Payer au commerçant").check()
    marie.get_by_role("button", name="Valider la commande").click()

    expect(marie.get_by_role("heading", name="Merci, votre commande est enregistrée")).to_be_visible()
    expect(marie.locator(".order-payment")).to_contain_text("Carte cadeau")
    expect(marie.locator(".order-payment")).to_contain_text("Reste à payer aux commerçants : 4,20")
    marie.screenshot(path="/tmp/gift-card-thanks.png", full_page=True)
    assert GiftCard.objects.get().balance == Decimal("0.00")
    marie.context.close()
