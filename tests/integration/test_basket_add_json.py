"""« Ajouter au panier » without leaving the page: the storefront's script posts the
same form asking for JSON; a plain POST (no JavaScript) still redirects."""
import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def add(client, product, quantity=1, **extra):
    return client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity}, **extra)


def test_asked_for_json_it_answers_the_message_and_the_basket_count(client, town):
    first = add(client, town["comte"], 2, **JSON)
    assert first.status_code == 200
    assert first["Content-Type"].startswith("application/json")
    answer = json.loads(first.content)
    assert answer["ok"] is True
    assert answer["basket_count"] == 2
    assert "Comté 18 mois" in answer["message"] and "panier" in answer["message"]
    assert "<" not in answer["message"]  # plain text for a live region

    second = json.loads(add(client, town["novel"], 1, **JSON).content)
    assert second["basket_count"] == 3
    # the message was answered, not also left for the next page
    basket_page = client.get(reverse("basket:summary")).content.decode()
    assert "Roman policier" in basket_page
    assert "a été ajouté" not in basket_page


def test_a_plain_post_still_redirects_with_the_message(client, town):
    response = add(client, town["comte"], 1, HTTP_REFERER="http://testserver/commerces/fromagerie-test/")
    assert response.status_code == 302
    assert response["Location"].endswith("/commerces/fromagerie-test/")
    page = client.get(response["Location"]).content.decode()
    assert "Comté 18 mois" in page


@pytest.mark.parametrize("quantity", ["abc", "0", "-3", "", "99999999999999999999"])
def test_a_bad_quantity_gets_a_french_message_never_a_500(client, town, quantity):
    response = add(client, town["comte"], quantity, **JSON)
    assert response.status_code == 400
    answer = json.loads(response.content)
    assert answer["ok"] is False
    assert answer["basket_count"] == 0
    assert answer["message"]
    assert not any(word in answer["message"] for word in ("Enter", "Please", "quantity", "Ensure"))

    plain = add(client, town["comte"], quantity)
    assert plain.status_code == 302


def test_more_than_the_stock_is_refused_in_french(client, town):
    answer = json.loads(add(client, town["novel"], 50, **JSON).content)  # 3 in stock
    assert answer["ok"] is False
    assert answer["basket_count"] == 0
    assert "3" in answer["message"] and "maximum" in answer["message"]  # « Un maximum de 3 peut être acheté »
    assert "purchase" not in answer["message"]


def test_an_unknown_product_is_a_404(client, town):
    response = client.post(reverse("basket:add", kwargs={"pk": 999999}), {"quantity": 1}, **JSON)
    assert response.status_code == 404
