"""Twelve customers book the last five places of Tuesday's round at the same moment."""
import datetime as dt
import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from plugins.local_delivery.models import DeliverySettings, DeliveryStop, RoundDay
from tests import factories
from tests.conftest import requires_postgres
from tests.integration.helpers import add_to_basket, checkout_data
from tests.support.parallel import run_at_once

from .conftest import ADDRESS

Order = get_model("order", "Order")
CUSTOMERS = 12
CAPACITY = 5
TUESDAY = dt.date(2026, 11, 24)


@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_checkouts_never_book_more_stops_than_the_round_holds(frozen_clock):
    factories.build_site()  # the town whose rules these are (a transactional test may start with no Site)
    settings = DeliverySettings.for_town()
    settings.zone_postcodes, settings.round_capacity = "21130", CAPACITY
    settings.save()
    shop = factories.shop("Épicerie Concurrence", kind="Épicerie")
    product = factories.product(shop, title="Panier du marché", price="15.00", stock=100)
    clients = []
    for number in range(CUSTOMERS):
        client = Client()
        add_to_basket(client, product, 1)
        page = client.get(reverse("checkout:index"))
        data = checkout_data(client, **ADDRESS, email=f"client{number}@example.org")
        data[page.context["shop_groups"][0].field_name] = "local_delivery-2026-11-24"
        clients.append((client, data))

    def checkout(pair):
        response = pair[0].post(reverse("checkout:index"), pair[1])
        return response.status_code, response.content.decode()

    outcomes, errors = run_at_once(checkout, clients)

    assert not errors, errors
    placed = [code for code, _ in outcomes if code == 302]
    refused = [html for code, html in outcomes if code == 200]
    assert len(placed) == CAPACITY and len(refused) == CUSTOMERS - CAPACITY
    assert all("complète" in html for html in refused)
    assert RoundDay.objects.get(date=TUESDAY).booked == CAPACITY
    assert DeliveryStop.objects.filter(date=TUESDAY).count() == CAPACITY == Order.objects.count()
    assert product.stockrecords.get().num_allocated == CAPACITY  # refused orders left no allocation behind
