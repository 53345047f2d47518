"""Several towns on one install (issue 20): a town's card is valid only in its town, at
checkout, at the till and on the balance page, without telling another town's balance;
a card bought in a town belongs to it; each town's staff look up and report on their
town's cards only. Codes and the throttle stay install-wide."""
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from backoffice import roles
from plugins.gift_cards import issuing, ledger
from plugins.gift_cards.demo import create_offer
from plugins.gift_cards.models import GiftCard, GiftCardSettings, Kind, LedgerEntry
from tests import factories
from tests.integration.helpers import add_to_basket, checkout_data
from tests.plugins.towns import default_town, client_of, second_town, shop_in, town_staff

from .conftest import apply_code, buy_card, make_card, page_messages, page_text

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
Entry = LedgerEntry.Kind
NOT_HERE = "Cette carte cadeau n'est pas valable dans ce marché"
BALANCE = "/cartes-cadeaux/solde/"
REDEEM = "/admin/cartes-cadeaux/encaisser/"



def body(response):
    """A CSV download's text (streamed)."""
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def client(town):
    """The back office on the test town's own address (with two towns, another host is redirected)."""
    return client_of(default_town())

@pytest.fixture
def beaune(town):
    site = second_town()
    shop = shop_in(site, "Primeur de Beaune", kind="Primeur")
    return {"site": site, "shop": shop, "apples": factories.product(shop, title="Pommes de Beaune", price="3.20")}


def beaune_card(beaune, amount="40.00"):
    card = make_card(amount=amount)
    GiftCard.objects.filter(pk=card.pk).update(town=beaune["site"])
    card.refresh_from_db()
    return card


def test_a_towns_card_is_refused_at_another_towns_checkout_without_its_balance(town, beaune):
    card = make_card(amount="37.00")  # the test town's card
    client = client_of(beaune["site"])
    add_to_basket(client, beaune["apples"])

    response = apply_code(client, card.display_code)

    assert [m for m in page_messages(response) if NOT_HERE in m]
    assert "37,00" not in page_text(response)
    assert client.session.get("gift_card_codes", []) == []
    client.post(reverse("checkout:index"), checkout_data(client))
    assert card.balance == Decimal("37.00") and not card.entries.exclude(kind=Entry.ISSUED).exists()


def test_a_towns_card_pays_in_its_own_town(beaune):
    card = beaune_card(beaune)
    client = client_of(beaune["site"])
    add_to_basket(client, beaune["apples"])
    response = apply_code(client, card.display_code)
    assert any("Carte cadeau acceptée" in m for m in page_messages(response))


def test_the_balance_page_of_another_town_does_not_tell_the_balance(town, beaune):
    card = make_card(amount="37.00")
    page = page_text(client_of(beaune["site"]).post(BALANCE, {"code": card.display_code}))
    assert NOT_HERE in page.replace("&#x27;", "'") and "37,00" not in page
    assert "37,00" in page_text(client_of(town["cheese"].partner.town).post(BALANCE, {"code": card.display_code}))


def test_a_shop_of_another_town_cannot_take_the_card_at_its_till(client, team, beaune):
    card = make_card(amount="37.00")
    grocer = factories.merchant(beaune["shop"], "gaston")
    client.force_login(grocer)
    response = client.post(REDEEM, {"code": card.display_code, "amount": "5",
                                    "boutique": beaune["shop"].partner.pk})
    page = page_text(response).replace("&#x27;", "'")
    assert response.status_code == 400 and NOT_HERE in page and "37,00" not in page
    assert card.balance == Decimal("37.00")
    with pytest.raises(ledger.CardRefused):  # whoever calls the ledger
        ledger.spend(card, "5", beaune["shop"].partner)


def test_a_card_bought_in_a_town_is_that_towns_with_its_validity(beaune):
    rules = GiftCardSettings.for_town(site=beaune["site"])
    rules.validity_months = 3
    rules.save()
    offer = create_offer(beaune["shop"].partner, "Carte cadeau Primeur de Beaune", "<p>Carte</p>", Decimal("20.00"),
                         kind=Kind.SHOP, preset_amounts="20 50")
    client = client_of(beaune["site"])
    assert buy_card(client, offer).status_code in (200, 302)
    assert client.post(reverse("checkout:index"), checkout_data(client)).status_code == 302
    order = Order.objects.get()

    [card] = issuing.issue_for(order)  # as on « Retirée » or the payment's confirmation, with no request

    assert card.town == beaune["site"]
    assert (card.expires_on - card.send_on).days in range(89, 93)  # Beaune's 3 months, not the default 12


def test_a_towns_staff_look_up_and_report_on_their_towns_cards_only(client, team, beaune):
    card = beaune_card(beaune)
    ledger.spend(card, "10", beaune["shop"].partner)
    client.force_login(team["staff"])  # the test town's association
    page = page_text(client.get(reverse("gift_cards_card"), {"code": card.display_code}))
    assert "40,00" not in page and "30,00" not in page and "Primeur de Beaune" not in page
    adjusted = client.post(reverse("gift_cards_card"), {"code": card.display_code, "amount": "5", "reason": "x"})
    assert adjusted.status_code == 404 and card.balance == Decimal("30.00")
    report = page_text(client.get(reverse("gift_cards_report")))
    assert "Primeur de Beaune" not in report
    export = body(client.get(reverse("gift_cards_report_export")))
    assert "Primeur de Beaune" not in export

    client.force_login(town_staff(beaune["site"], roles.ASSOCIATION, "berthe"))
    assert "30,00" in page_text(client.get(reverse("gift_cards_card"), {"code": card.display_code}))
    export = body(client.get(reverse("gift_cards_report_export")))
    assert "Primeur de Beaune" in export
