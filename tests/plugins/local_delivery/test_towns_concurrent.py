"""Several towns on one install (issue 20): checkouts in two towns at the same moment keep
each town's stock, round capacity and town-card balance exact (PostgreSQL)."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from plugins.gift_cards import ledger
from plugins.gift_cards.models import GiftCard, Kind
from plugins.local_delivery.models import DeliverySettings, DeliveryStop, RoundDay
from tests import factories
from tests.conftest import requires_postgres
from tests.integration.helpers import add_to_basket, checkout_data
from tests.plugins.towns import client_of, default_town, second_town, shop_in
from tests.support.parallel import run_at_once

Order = get_model("order", "Order")
ShopOrder = get_model("order", "ShopOrder")
TUESDAY = dt.date(2026, 11, 24)
CUSTOMERS = 6  # per town
CAPACITY = 3  # addresses per round, in each town
STOCK = 4  # units of each town's product
CARD = Decimal("20.00")  # each town's card, entered by all its customers; a basket costs 15,00


def town_with_a_round(site, postcode, shop_name):
    rules = DeliverySettings.for_town(site=site)
    rules.zone_postcodes, rules.round_capacity = postcode, CAPACITY
    rules.save()
    shop = shop_in(site, shop_name, kind="Épicerie")
    card = GiftCard.objects.create(kind=Kind.TOWN, town=site, initial_amount=CARD,
                                   expires_on=timezone.localdate() + dt.timedelta(days=365))
    ledger.issue(card)
    return {"site": site, "postcode": postcode, "card": card,
            "product": factories.product(shop, title=f"Panier {shop_name}", price="15.00", stock=STOCK)}


@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_checkouts_in_two_towns_keep_each_towns_stock_round_and_card_exact(frozen_clock):
    towns = [town_with_a_round(default_town(), "21130", "Épicerie du Val"),
             town_with_a_round(second_town(), "21200", "Épicerie de Beaune")]
    prepared = []
    for town in towns:
        for number in range(CUSTOMERS):
            client = client_of(town["site"])
            add_to_basket(client, town["product"], 1)
            if number % 2 == 0:  # half of them pay with their town's card
                client.post(reverse("gift_cards_apply"), {"code": town["card"].code})
            page = client.get(reverse("checkout:index"))
            data = checkout_data(client, email=f"client{number}@example.org", delivery_line1=f"{number} rue Haute",
                                 delivery_postcode=town["postcode"], delivery_city="Ville")
            data[page.context["shop_groups"][0].field_name] = "local_delivery-2026-11-24"
            prepared.append((town, client, data))

    outcomes, errors = run_at_once(lambda item: (item[0]["site"].pk, item[1].post(reverse("checkout:index"), item[2])
                                                 .status_code), prepared)

    assert not errors, errors
    for town in towns:
        orders = Order.objects.filter(lines__partner__town=town["site"]).distinct()
        placed = [code for site_id, code in outcomes if site_id == town["site"].pk and code == 302]
        assert len(placed) == orders.count() <= CAPACITY  # the round's capacity, the town's own
        assert RoundDay.objects.get(town=town["site"], date=TUESDAY).booked == orders.count()
        assert DeliveryStop.objects.filter(town=town["site"], date=TUESDAY).count() == orders.count()
        record = town["product"].stockrecords.get()
        assert record.num_allocated == orders.count() <= STOCK
        card = town["card"]
        spent = -sum(entry.amount for entry in card.entries.exclude(kind="emission"))
        assert card.balance == CARD - spent >= 0
        assert spent == sum((part.prepaid for part in ShopOrder.objects.filter(order__in=orders)), Decimal("0.00"))
        assert all(entry.partner.town_id == town["site"].pk for entry in card.entries.exclude(kind="emission"))
