"""The customer pays what the checkout page showed: a card spent, a price changed
between the page and the click, and the order is not placed, with the reason."""
import html
from collections import Counter
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from plugins.gift_cards import ledger
from tests import factories
from tests.conftest import requires_postgres
from tests.integration.helpers import add_to_basket, checkout_data
from tests.support.parallel import run_at_once

from .conftest import make_card
from .conftest import page_text as raw_text

Order = get_model("order", "Order")
ShopOrder = get_model("order", "ShopOrder")


@pytest.fixture
def ten_euros(town):
    return factories.product(town["cheese"], title="Tomme à 10 €", price="10.00", stock=100)


def ready_to_order(client, product, card):
    add_to_basket(client, product)
    client.post(reverse("gift_cards_apply"), {"code": card.code})
    data = checkout_data(client)
    page = page_text(client.get(reverse("checkout:index")))
    assert "À payer : <strong" in page and "0,00 €" in page
    return data


def page_text(response):
    return html.unescape(raw_text(response))


def submit(client, data):
    return client.post(reverse("checkout:index"), data)


def test_a_card_spent_meanwhile_places_no_order(client, town, ten_euros):
    card = make_card(amount="10.00")
    data = ready_to_order(client, ten_euros, card)
    ledger.spend(card, Decimal("10.00"), town["cheese"].partner)  # at the till, meanwhile

    answer = submit(client, data)

    assert answer.status_code == 200 and not Order.objects.exists()
    text = page_text(answer)
    assert ("Le paiement partiel de 10,00 € ne s'applique plus à cette commande : "
            "son solde a été utilisé entre-temps.") in text.replace("&#x27;", "'")
    assert "Votre commande n'a pas été passée" in text
    assert client.get(reverse("basket:summary")).context["basket"].num_items == 1


def test_a_card_partly_spent_meanwhile_says_the_new_deduction(client, town, ten_euros):
    card = make_card(amount="50.00")
    data = ready_to_order(client, ten_euros, card)
    ledger.spend(card, Decimal("46.00"), town["cheese"].partner)

    text = page_text(submit(client, data))

    assert not Order.objects.exists()
    assert "4,00 € déduits maintenant (au lieu de 10,00 €)" in text
    data = checkout_data(client)  # the page as shown again: 6,00 € to pay
    assert submit(client, data).status_code == 302
    assert ShopOrder.objects.get().prepaid == Decimal("4.00")


def test_a_price_changed_meanwhile_places_no_order(client, town):
    add_to_basket(client, town["comte"])
    data = checkout_data(client)
    town["comte"].stockrecords.update(price=Decimal("13.90"))

    text = page_text(submit(client, data))

    assert not Order.objects.exists()
    assert "Vos articles chez Fromagerie Test coûtent maintenant 13,90 € (au lieu de 12,40 €)" in text


@pytest.mark.parametrize("shown", ["", "n'importe quoi", "shop:1=abc", "=;="])
def test_a_missing_or_tampered_summary_places_no_order(client, town, shown):
    add_to_basket(client, town["comte"])
    answer = submit(client, {**checkout_data(client), "shown_amounts": shown})
    assert answer.status_code == 200 and not Order.objects.exists()
    assert "vérifiez le montant à payer" in page_text(answer)


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_customers_one_card_nobody_pays_an_amount_not_shown(town, ten_euros):
    card = make_card(amount="50.00")
    customers = []
    for _ in range(20):
        client = Client()
        customers.append((client, ready_to_order(client, ten_euros, card)))

    answers, errors = run_at_once(lambda pair: submit(*pair), customers)

    assert errors == []
    assert Counter(answer.status_code for answer in answers) == {302: 5, 200: 15}
    for answer in answers:  # refused before the order (balance read) or at the card's lock
        if answer.status_code == 200:
            text = page_text(answer)
            assert "Votre commande n'a pas été passée" in text or "n'a pas pu être débitée" in text
    # every order placed is paid by the card exactly as its page said: 10 €, 0 € due
    assert [shop_order.prepaid for shop_order in ShopOrder.objects.all()] == [Decimal("10.00")] * 5
    assert card.balance == Decimal("0.00")
