"""The basket page (issue 19, item 1: at least 20 % of the trivial view): an empty
basket looks up no offer (Oscar asked for every offer to say « add X more to get… »,
which no offer can say of an empty basket); a basket with lines still gets the message."""
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_empty_basket_page_looks_up_no_offer(town):
    Client().get(reverse("basket:summary"))  # the town's settings are written on the first visit ever
    with CaptureQueriesContext(connection) as queries:
        page = Client().get(reverse("basket:summary"))
    assert page.status_code == 200 and "Votre panier est vide" in page.content.decode()
    offers = [query["sql"] for query in queries if "offer_conditionaloffer" in query["sql"]]
    assert offers == [], offers


def test_a_basket_with_lines_still_shows_the_offers_upsell(town):
    from oscar.test.factories import ConditionalOfferFactory, ConditionFactory, RangeFactory

    offer = ConditionalOfferFactory(
        condition=ConditionFactory(range=RangeFactory(includes_all_products=True), type="Value", value="100.00"),
        name="Cent euros")
    client = Client()
    client.post(reverse("basket:add", kwargs={"pk": town["comte"].pk}), {"quantity": "1"})
    page = client.get(reverse("basket:summary"))
    assert page.status_code == 200
    assert [message["offer"].name for message in page.context["upsell_messages"]] == ["Cent euros"]
