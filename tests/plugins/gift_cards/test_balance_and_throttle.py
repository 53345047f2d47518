"""The balance page, and the brute-force throttle it shares with the checkout."""
from decimal import Decimal

import pytest
from django.urls import reverse

from plugins.gift_cards import codes
from plugins.gift_cards.models import GiftCardSettings

from .conftest import apply_code, make_card, page_messages, page_text

pytestmark = pytest.mark.django_db
BALANCE = "/cartes-cadeaux/solde/"


def test_the_balance_page_shows_one_card_from_its_code(client, town):
    card = make_card(amount="50.00")
    response = client.post(BALANCE, {"code": card.display_code})
    page = page_text(response)
    assert response.status_code == 200
    assert "Solde : 50,00 €" in page and "Valable dans tous les commerces participants." in page
    assert card.code not in page.replace(card.masked_code, "")  # the full code is not echoed back


def test_nothing_lists_cards(client, town):
    make_card()
    assert client.get("/cartes-cadeaux/").status_code == 404
    assert client.get(BALANCE + "?code=").status_code == 200 and "Solde :" not in page_text(client.get(BALANCE))


def test_wrong_codes_are_throttled_per_address(client, town):
    assert GiftCardSettings.for_town().throttle_attempts == 5  # the town's default limits: 5 codes, 15 minutes
    card = make_card()
    for _ in range(5):
        wrong = codes.generate()
        assert client.post(BALANCE, {"code": wrong}).status_code == 400

    blocked = client.post(BALANCE, {"code": card.code})  # even the right code must wait now
    assert blocked.status_code == 429
    assert "Trop de codes erronés : réessayez dans 15 minutes." in page_text(blocked)
    # the checkout's « Utiliser cette carte » is throttled the same way
    from tests.integration.helpers import add_to_basket
    add_to_basket(client, town["comte"])
    assert page_messages(apply_code(client, card.code)) == ["Trop de codes erronés : réessayez dans 15 minutes."]
    assert client.session.get("gift_card_codes", []) == []
    # another address is not held up
    other = client.post(BALANCE, {"code": card.code}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200 and "Solde : 50,00 €" in page_text(other)
    assert card.balance == Decimal("50.00")


def test_a_right_code_does_not_count_against_the_address(client, town):
    GiftCardSettings.objects.filter(pk=GiftCardSettings.for_town().pk).update(throttle_attempts=3)
    card = make_card()
    for _ in range(5):
        assert client.post(BALANCE, {"code": card.code}).status_code == 200
    assert client.post(BALANCE, {"code": codes.generate()}).status_code == 400
    assert client.post(BALANCE, {"code": card.code}).status_code == 200
