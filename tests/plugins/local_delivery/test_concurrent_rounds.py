"""Twelve customers book the last five places of Tuesday's round at the same moment."""
import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from plugins.local_delivery.models import DeliverySettings, DeliveryStop, RoundDay
from tests import factories
from tests.conftest import requires_postgres
from tests.integration.helpers import add_to_basket, checkout_data

from .conftest import ADDRESS

Order = get_model("order", "Order")
CUSTOMERS = 12
CAPACITY = 5
TUESDAY = dt.date(2026, 11, 24)


@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_checkouts_never_book_more_stops_than_the_round_holds(frozen_clock):
    settings = DeliverySettings.load()
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
    connection.close()

    barrier = threading.Barrier(CUSTOMERS)
    outcomes, errors = [], []

    def checkout(client, data):
        try:
            barrier.wait(timeout=30)
            response = client.post(reverse("checkout:index"), data)
            outcomes.append((response.status_code, response.content.decode()))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=checkout, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    placed = [code for code, _ in outcomes if code == 302]
    refused = [html for code, html in outcomes if code == 200]
    assert len(placed) == CAPACITY and len(refused) == CUSTOMERS - CAPACITY
    assert all("complète" in html for html in refused)
    assert RoundDay.objects.get(date=TUESDAY).booked == CAPACITY
    assert DeliveryStop.objects.filter(date=TUESDAY).count() == CAPACITY == Order.objects.count()
    assert product.stockrecords.get().num_allocated == CAPACITY  # refused orders left no allocation behind
