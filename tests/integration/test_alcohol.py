"""Alcohol: the health message on wine (page and cards, not on cheese), the age confirmation
asked at checkout only when the basket holds alcohol, recorded on the order and shown to the
merchant (issue 18, item 3)."""
import pytest
from django.utils.text import slugify
from oscar.core.loading import get_model

from oscar_apps.catalogue import alcohol
from tests import factories

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
HEALTH = "L'abus d'alcool est dangereux pour la santé, à consommer avec modération."


@pytest.fixture
def cellar(town):
    wines = Category.add_root(name="Vins et spiritueux", slug="vins-et-spiritueux", is_public=True,
                              contains_alcohol=True)
    reds = wines.add_child(name="Vins rouges", slug="vins-rouges", is_public=True)
    shop = factories.shop("Cave Test", kind="Caviste")
    wine = factories.product(shop, title="Bourgogne Pinot noir", price="14.50", category_name="x", vat_rate="20.0")
    wine.categories.set([reds])  # a sub-category of a flagged one
    return {**town, "cave": shop, "wine": wine, "wines": wines}


def test_products_of_a_flagged_category_or_below_are_alcohol_cheese_is_not(cellar):
    assert alcohol.is_alcohol(cellar["wine"])
    assert not alcohol.is_alcohol(cellar["comte"])
    listed = {p.pk: p for p in alcohol.with_alcohol_flag(Product.objects.all())}
    assert listed[cellar["wine"].pk].contains_alcohol and not listed[cellar["comte"].pk].contains_alcohol


def test_lines_with_alcohol_picks_the_wine_lines(cellar, client):
    from tests.integration.helpers import add_to_basket

    add_to_basket(client, cellar["wine"])
    add_to_basket(client, cellar["comte"])
    Basket = get_model("basket", "Basket")
    basket = Basket.objects.get()
    assert [line.product for line in alcohol.lines_with_alcohol(basket.all_lines())] == [cellar["wine"]]


def text_of(response):
    import html
    import re

    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def card_of(page_html, title):
    start = page_html.index(f">{title}</a>")
    return page_html[start:page_html.index("</article>", start)]


class TestTheHealthMessage:
    def test_on_the_wine_page_not_on_the_cheese_page(self, client, cellar):
        assert HEALTH in text_of(client.get(cellar["wine"].get_absolute_url()))
        assert HEALTH not in text_of(client.get(cellar["comte"].get_absolute_url()))

    def test_on_the_wine_card_not_on_the_cheese_card_in_every_listing(self, client, cellar):
        from django.utils.html import escape

        for url in ["/boutique/catalogue/", cellar["wines"].get_absolute_url(), "/commerces/cave-test/"]:
            page = client.get(url).content.decode()
            assert escape(HEALTH) in card_of(page, "Bourgogne Pinot noir"), url
        catalogue = client.get("/boutique/catalogue/").content.decode()
        assert escape(HEALTH) not in card_of(catalogue, "Comté 18 mois")

    def test_the_listing_asks_no_query_per_card_for_it(self, client, cellar, django_assert_max_num_queries):
        client.get("/boutique/catalogue/")  # warm caches
        for number in range(12):
            wine = factories.product(cellar["cave"], title=f"Vin {number}", category_name="x")
            wine.categories.set([cellar["wines"]])
        with django_assert_max_num_queries(25):
            page = client.get("/boutique/catalogue/").content.decode()
        assert page.count("alcohol-warning") >= 13


class TestTheAgeConfirmation:
    def test_an_order_with_wine_cannot_be_placed_without_it(self, client, cellar):
        from django.urls import reverse

        from tests.integration.helpers import add_to_basket, checkout_data

        add_to_basket(client, cellar["wine"])
        add_to_basket(client, cellar["comte"])
        page = text_of(client.get(reverse("checkout:index")))
        assert "Je confirme avoir 18 ans ou plus" in page
        data = checkout_data(client)
        del data["adult_confirmed"]
        response = client.post(reverse("checkout:index"), data)
        assert response.status_code == 200
        assert ("Votre panier contient des boissons alcoolisées : confirmez avoir 18 ans ou plus, ou retirez-les "
                "du panier.") in text_of(response)
        assert 'href="#id_adult_confirmed"' in response.content.decode()
        assert not get_model("order", "Order").objects.exists()

        assert client.post(reverse("checkout:index"), checkout_data(client)).status_code == 302
        order = get_model("order", "Order").objects.get()
        assert order.adult_confirmed_at is not None and order.terms_accepted_at is not None

    def test_an_order_without_alcohol_never_asks_it(self, client, cellar):
        from django.urls import reverse

        from tests.integration.helpers import add_to_basket, checkout_data

        add_to_basket(client, cellar["comte"])
        page = client.get(reverse("checkout:index"))
        assert "18 ans" not in text_of(page) and "adult_confirmed" not in page.content.decode()
        data = checkout_data(client)
        assert "adult_confirmed" not in data
        assert client.post(reverse("checkout:index"), data).status_code == 302
        assert get_model("order", "Order").objects.get().adult_confirmed_at is None

    def test_the_merchant_reads_it_on_the_order_and_in_the_shops_email(self, client, cellar):
        from django.core import mail
        from django.urls import reverse

        from tests.integration.helpers import add_to_basket, checkout_data

        wine_merchant = factories.merchant(cellar["cave"], "bertrand")
        cheese_merchant = factories.merchant(cellar["cheese"], "claire")
        add_to_basket(client, cellar["wine"])
        add_to_basket(client, cellar["comte"])
        assert client.post(reverse("checkout:index"), checkout_data(client)).status_code == 302
        notice = "Contient de l'alcool : majorité confirmée par le client"
        by_recipient = {address: m.body for m in mail.outbox for address in m.to}
        assert notice in by_recipient["cave-test@example.org"]
        assert "alcool" not in by_recipient["fromagerie-test@example.org"]

        ShopOrder = get_model("order", "ShopOrder")
        client.force_login(wine_merchant)
        part = ShopOrder.objects.get(partner=cellar["cave"].partner)
        assert notice in text_of(client.get(reverse("backoffice_order", args=[part.pk])))
        client.force_login(cheese_merchant)
        part = ShopOrder.objects.get(partner=cellar["cheese"].partner)
        assert "alcool" not in text_of(client.get(reverse("backoffice_order", args=[part.pk])))
