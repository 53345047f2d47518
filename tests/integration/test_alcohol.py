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
