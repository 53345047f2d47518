"""Customers whose baskets hold the same two food shops, choosing the delivery days
(and adding the products) in opposite orders, at the same moment: no deadlock reaches
anyone, and a database conflict that remains is retried, then told in French."""
import threading

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from plugins.local_delivery import checkout as delivery_checkout
from plugins.local_delivery.models import DeliverySettings, DeliveryStop, RoundDay
from tests import factories
from tests.conftest import requires_postgres
from tests.integration.helpers import add_to_basket, checkout_data
from tests.support.parallel import run_at_once

from .conftest import ADDRESS

Order = get_model("order", "Order")
TUESDAY, FRIDAY = "local_delivery-2026-11-24", "local_delivery-2026-11-27"


@pytest.fixture
def two_food_shops(db, frozen_clock):
    factories.build_site()  # the town whose rules these are (a transactional test may start with no Site)
    settings = DeliverySettings.for_town()
    settings.zone_postcodes, settings.round_capacity = "21130", 100
    settings.save()
    # a town that has taken orders already has France among its countries
    get_model("address", "Country").objects.create(iso_3166_1_a2="FR", iso_3166_1_a3="FRA", iso_3166_1_numeric="250",
                                                   name="France", printable_name="France", is_shipping_country=True)
    cheese = factories.shop("Fromagerie Croisée", kind="Fromagerie")
    bakery = factories.shop("Boulangerie Croisée", kind="Boulangerie")
    return {"cheese": cheese, "bakery": bakery,
            "comte": factories.product(cheese, title="Comté", price="12.00", stock=500),
            "bread": factories.product(bakery, title="Pain de campagne", price="3.00", stock=500),
            "tomme": factories.product(cheese, title="Tomme", price="9.00", stock=500),
            "croissant": factories.product(bakery, title="Croissant", price="1.20", stock=500)}


def customer(shops, number, crossed):
    """Crossed customers buy other products of the same shops: only the round days are shared."""
    client = Client()
    for product in ((shops["croissant"], shops["tomme"]) if crossed else (shops["comte"], shops["bread"])):
        add_to_basket(client, product, 1)
    page = client.get(reverse("checkout:index"))
    data = checkout_data(client, **ADDRESS, email=f"client{number}@example.org")
    days = (FRIDAY, TUESDAY) if crossed else (TUESDAY, FRIDAY)
    for group in page.context["shop_groups"]:
        data[group.field_name] = days[0] if group.partner == shops["cheese"].partner else days[1]
    return client, data


def submit(pair):
    response = pair[0].post(reverse("checkout:index"), pair[1])
    return response.status_code, response.content.decode()


@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_crossed_round_days_at_the_same_moment_place_both_orders(two_food_shops, monkeypatch):
    """Each checkout pauses after its first booking until the other has made its own:
    taken in the customers' orders, the two round days would deadlock."""
    both_booked_once = threading.Barrier(2)
    real_book_stop = delivery_checkout.book_stop
    seen = threading.local()

    def book_stop_then_wait(shop_order, checkout, **kwargs):
        stop = real_book_stop(shop_order, checkout, **kwargs)
        if not getattr(seen, "booked", False):
            seen.booked = True
            try:
                both_booked_once.wait(timeout=3)
            except threading.BrokenBarrierError:  # the other one waits for our lock
                pass
        return stop

    monkeypatch.setattr(delivery_checkout, "book_stop", book_stop_then_wait)
    pairs = [customer(two_food_shops, 0, crossed=False), customer(two_food_shops, 1, crossed=True)]

    outcomes, errors = run_at_once(submit, pairs)

    assert not errors, errors
    assert [code for code, _ in outcomes] == [302, 302]
    assert Order.objects.count() == 2 and DeliveryStop.objects.count() == 4
    assert sorted(RoundDay.objects.values_list("booked", flat=True)) == [2, 2]
    assert two_food_shops["comte"].stockrecords.get().num_allocated == 1 == two_food_shops["tomme"].stockrecords.get().num_allocated


def deadlock(*args, **kwargs):
    raise OperationalError("deadlock detected")


def test_a_conflict_that_passes_is_retried(client, two_food_shops, monkeypatch):
    calls = []
    real_book_stop = delivery_checkout.book_stop

    def fails_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            deadlock()
        return real_book_stop(*args, **kwargs)

    monkeypatch.setattr(delivery_checkout, "book_stop", fails_once)
    client, data = customer(two_food_shops, 0, crossed=False)
    assert submit((client, data))[0] == 302
    assert Order.objects.count() == 1 and DeliveryStop.objects.count() == 2


def test_a_conflict_that_stays_is_told_in_french_with_the_basket_intact(two_food_shops, monkeypatch):
    monkeypatch.setattr(delivery_checkout, "book_stop", deadlock)
    client, data = customer(two_food_shops, 0, crossed=False)
    code, html = submit((client, data))
    assert code == 200
    assert "Beaucoup de commandes arrivent en même temps" in html and "votre panier est intact" in html
    assert not Order.objects.exists() and not DeliveryStop.objects.exists()
    assert client.get(reverse("basket:summary")).context["basket"].num_items == 2
    assert two_food_shops["comte"].stockrecords.get().num_allocated == 0
