"""The number of SQL queries per page must not grow with the number of products shown."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    client.get(url)  # warm per-process caches (Wagtail site roots, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response


def town_with(n_products):
    factories.build_site()
    shop = factories.shop(f"Épicerie {n_products}")
    items = factories.products(shop, n_products, category_name="Épicerie fine")
    return shop, items


def page_urls(shop, items):
    category = factories.category("Épicerie fine")
    return {
        "catalogue": "/boutique/catalogue/",
        "category": category.get_absolute_url(),
        "vitrine": shop.url,
        "product": items[0].get_absolute_url(),
        "home": "/",
    }


@pytest.fixture
def show_everything(settings):
    settings.OSCAR_PRODUCTS_PER_PAGE = 48
    settings.TOWNMARKET_SHOP_PRODUCTS_PER_PAGE = 48


@pytest.mark.parametrize("page", ["catalogue", "category", "vitrine", "product", "home"])
def test_queries_do_not_grow_with_the_number_of_products_shown(client, show_everything, page, django_db_blocker):
    shop, items = town_with(12)
    small, small_response = count_queries(client, page_urls(shop, items)[page])
    factories.products(shop, 36, category_name="Épicerie fine")
    large, large_response = count_queries(client, page_urls(shop, items)[page])
    if page in {"catalogue", "category", "vitrine"}:
        assert len(small_response.context["products"]) == 12
        assert len(large_response.context["products"]) == 48
    assert large == small, f"{page}: {small} queries with 12 products, {large} with 48"
    assert small <= 30, f"{page}: {small} queries"
