"""Storefront pages for a visitor with a basket (issue 19, item 1; README, "Caching";
townmarket.middleware.BasketVisitorPageCacheMiddleware): the page is rendered once and
served again with the visitor's own basket count, CSRF token and CSP nonce, without
routing or rendering; what they see is what a rendering would show them, a change to
the page shows at once, and nobody with a session or a message gets a stored page."""
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")
Category = get_model("catalogue", "Category")

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
NONCE = re.compile(r'nonce="[^"]*"')


def shopper(town, quantity=2):
    """A visitor who put `quantity` Comté in the basket and saw the message."""
    client = Client(enforce_csrf_checks=False)
    client.post(reverse("basket:add", kwargs={"pk": town["comte"].pk}), {"quantity": str(quantity)})
    client.get(reverse("basket:summary"))  # the « ajouté à votre panier » message is shown, its cookie gone
    assert "messages" not in client.cookies or not client.cookies["messages"].value
    return client


def pages(town):
    return ["/", "/commerces/", town["cheese"].url, "/boutique/catalogue/", "/boutique/catalogue/?q=comte",
            Category.objects.get(name="Fromages").get_absolute_url(), town["comte"].get_absolute_url()]


def what_one_sees(response):
    """The page, its tokens and nonces aside (each answer has new ones)."""
    return NONCE.sub('nonce=""', TOKEN.sub('name="csrfmiddlewaretoken" value=""', response.content.decode()))


def basket_count(response):
    return BeautifulSoup(response.content, "html.parser").select_one("[data-basket-count]").get_text()


def test_the_second_visit_is_served_without_rendering_and_reads_the_same(town, django_assert_max_num_queries):
    client = shopper(town)
    for url in pages(town):
        rendered = client.get(url)
        assert rendered.status_code == 200, url
        with django_assert_max_num_queries(1, info=url):  # the basket's count
            stored = client.get(url)
        assert stored.status_code == 200
        assert what_one_sees(stored) == what_one_sees(rendered), url
        assert basket_count(stored) == "2"
        assert stored["Cache-Control"] == rendered["Cache-Control"] == "private, no-cache"
        assert stored["Content-Type"] == rendered["Content-Type"]


def test_each_visitor_gets_their_own_count_token_and_nonce(town):
    anne, bruno = shopper(town, 1), shopper(town, 3)
    url = town["comte"].get_absolute_url()
    first, second = anne.get(url), bruno.get(url)  # bruno's comes from the cache anne's visit filled
    assert (basket_count(first), basket_count(second)) == ("1", "3")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second.content.decode()).group(1)
    assert "\x00" not in second.content.decode() and token
    nonce = re.search(r'nonce="([^"]+)"', second.content.decode()).group(1)
    assert nonce in second["Content-Security-Policy"]
    # bruno's token is his: his post from the stored page goes through with CSRF checks on
    checked = Client(enforce_csrf_checks=True)
    checked.cookies = bruno.cookies
    page = checked.get(url)
    form = BeautifulSoup(page.content, "html.parser").find("form", action=reverse("basket:add", kwargs={"pk": town["comte"].pk}))
    fields = {f["name"]: f.get("value", "") for f in form.find_all("input") if f.get("name")}
    added = checked.post(form["action"], {**fields, "quantity": "1"})
    assert added.status_code == 302
    assert basket_count(checked.get(url)) == "4"


def test_a_new_price_or_stock_shows_at_once(town):
    client = shopper(town, 1)
    url, listing = town["epoisses"].get_absolute_url(), "/boutique/catalogue/"
    client.get(url), client.get(listing)
    StockRecord.objects.filter(product=town["epoisses"]).update(price="7.15", num_in_stock=0)
    for page in (url, listing):
        text = client.get(page).content.decode()
        assert "7,15" in text and "9,80" not in text, page


def test_a_visitor_with_a_session_or_a_message_gets_their_page_rendered(town, django_assert_max_num_queries):
    client = shopper(town, 1)
    url = town["comte"].get_absolute_url()
    client.get(url)
    client.post(reverse("basket:add", kwargs={"pk": town["novel"].pk}), {"quantity": "1"})
    with_message = client.get(url)
    assert "Roman policier" in with_message.content.decode() and basket_count(with_message) == "2"
    signed_in = shopper(town, 1)
    claire = get_user_model().objects.create_user("claire", "claire@example.org", "pw-claire-2026")
    signed_in.force_login(claire)
    page = signed_in.get(url).content.decode()
    assert "Se déconnecter" in page and "Se connecter<" not in page
