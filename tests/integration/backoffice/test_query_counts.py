"""Back-office lists make the same number of SQL queries for 5 rows as for 25."""
import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.integration.helpers import place_order
from tests.integration.test_query_counts import count_queries
from tests.support.images import photo

pytestmark = pytest.mark.django_db


def add_products(shop, n):
    from oscar.core.loading import get_model

    ProductImage = get_model("catalogue", "ProductImage")
    for product in factories.products(shop, n):
        ProductImage.objects.create(product=product, original=photo(), caption=product.title)


def add_orders(shop, n):
    product = factories.product(shop, stock=1000)
    for _ in range(n):
        place_order(Client(), [(product, 1)])


@pytest.mark.parametrize("page, grow", [("backoffice_products", add_products), ("backoffice_orders", add_orders)])
def test_back_office_lists_do_not_grow_with_rows(client, town, team, page, grow):
    client.force_login(team["alice"])
    grow(town["cheese"], 3)
    small, small_response = count_queries(client, reverse(page))
    grow(town["cheese"], 20)
    large, large_response = count_queries(client, reverse(page))
    assert len(large_response.context["page"]) > len(small_response.context["page"]) >= 3
    assert large == small, f"{page}: {small} queries for a few rows, {large} for 20 more"
