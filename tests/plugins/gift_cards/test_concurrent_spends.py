"""Twenty tills at once on one card: the card's row lock serves them one by one."""
from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Sum
from oscar.core.loading import get_model

from plugins.gift_cards import ledger
from plugins.gift_cards.models import GiftCard, LedgerEntry
from tests.conftest import requires_postgres
from tests.support.parallel import run_at_once

from .conftest import make_card

Order = get_model("order", "Order")
ShopOrder = get_model("order", "ShopOrder")
pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_parallel_spends_of_10_on_a_50_card_give_exactly_five(town):
    card = make_card(amount="50.00")
    partner = town["cheese"].partner

    def spend(_n):
        try:
            ledger.spend(GiftCard.objects.get(pk=card.pk), Decimal("10.00"), partner)
            return "ok"
        except ledger.CardRefused as refusal:
            return refusal.message

    results, errors = run_at_once(spend, list(range(20)))

    assert errors == []
    assert Counter(results) == {"ok": 5, "Cette carte cadeau est épuisée : il n'y reste rien.": 15}
    assert card.balance == Decimal("0.00")
    entries = LedgerEntry.objects.filter(card=card)
    assert entries.count() == 6 and entries.aggregate(total=Sum("amount"))["total"] == Decimal("0.00")


def test_parallel_checkouts_with_one_card_never_overspend_it(town):
    """Six customers who were given the same code place orders at once."""
    from django.test import Client
    from django.urls import reverse

    from tests.integration.helpers import add_to_basket, checkout_data

    card = make_card(amount="30.00")
    clients = []
    for _ in range(6):
        client = Client()
        add_to_basket(client, town["comte"])  # 12,40 each
        client.post(reverse("gift_cards_apply"), {"code": card.code})
        clients.append((client, checkout_data(client)))

    def place(prepared):
        client, data = prepared
        return client.post(reverse("checkout:index"), data).status_code

    results, errors = run_at_once(place, clients)

    # Each order either took what the card had when it was locked, or was refused
    # (the balance seen on the page was gone): never more than the card held.
    assert errors == [] and set(results) <= {200, 302} and results.count(302) >= 2
    spent = sum((-e.amount for e in LedgerEntry.objects.filter(card=card, kind=LedgerEntry.Kind.SPENT_ONLINE)),
                Decimal("0.00"))
    assert spent <= Decimal("30.00") and card.balance == Decimal("30.00") - spent >= 0
    orders = Order.objects.all()
    assert orders.count() == results.count(302)
    assert sum((so.prepaid for so in ShopOrder.objects.filter(order__in=orders)), Decimal("0.00")) == spent
