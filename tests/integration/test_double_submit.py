"""« Valider la commande » clicked twice: one order, and both answers show it."""
import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from tests.conftest import requires_postgres
from tests.integration.helpers import add_to_basket, checkout_data
from tests.support.parallel import run_at_once

Order = get_model("order", "Order")


def as_shown(client):
    """The checkout form's data, with the basket number the page carries."""
    return {**checkout_data(client), "basket": client.get(reverse("checkout:index")).context["basket"].pk}


def test_a_second_submit_shows_the_same_confirmation(client, town):
    add_to_basket(client, town["comte"], 2)
    data = as_shown(client)
    first = client.post(reverse("checkout:index"), data, follow=True)
    second = client.post(reverse("checkout:index"), data, follow=True)
    order = Order.objects.get()
    for answer in (first, second):
        assert answer.status_code == 200
        assert answer.redirect_chain[-1][0] == reverse("checkout:thank-you")
        assert order.number in answer.content.decode()


def test_someone_elses_basket_number_shows_nothing(client, town):
    add_to_basket(client, town["comte"])
    client.post(reverse("checkout:index"), checkout_data(client))
    order = Order.objects.get()
    stranger = Client()
    add_to_basket(stranger, town["novel"])
    answer = stranger.post(reverse("checkout:index"), {**checkout_data(stranger), "basket": order.basket_id},
                           follow=True)
    assert order.number not in answer.content.decode()


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_place_one_order(town):
    client = Client()
    add_to_basket(client, town["comte"], 2)
    data = as_shown(client)
    cookies = client.cookies

    def submit(_):
        browser = Client()
        browser.cookies = cookies
        return browser.post(reverse("checkout:index"), data, follow=True)

    answers, errors = run_at_once(submit, range(4))
    assert errors == []
    assert Order.objects.count() == 1
    number = Order.objects.get().number
    assert [answer.status_code for answer in answers] == [200] * 4
    assert all(number in answer.content.decode() for answer in answers)


@pytest.mark.parametrize("hostile", ["²", "9" * 5000, "99999999999999999999", "-1", "1e3"])
def test_a_hostile_basket_number_is_ignored(client, town, hostile):
    add_to_basket(client, town["comte"])
    answer = client.post(reverse("checkout:index"), {**checkout_data(client), "basket": hostile})
    assert answer.status_code == 302 and Order.objects.count() == 1
