"""The number of SQL queries per storefront page: at most 12, and the same whatever the
number of products shown (12 or 48) or the size of the catalogue (issue 19, item 5).

Each page is asked as a visitor with a basket (one product in it) would ask it, after a
first request that warms the per-process caches (Wagtail's site roots, content types);
the counts are pinned exactly, so that a change that adds a query says so here."""
import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12

# page: queries with a basket of one product (pinned; see the module's docstring)
EXPECTED = {
    "home": 16,
    "directory": 13,
    "vitrine": 20,
    "category": 12,
    "all products": 10,
    "shop-filtered": 10,
    "price-filtered": 10,
    "product": 12,
    "search": 12,
    "basket": 13,
}
# Pages still above MAX_QUERIES, and why (none of their queries is per product).
OVER_BUDGET = {
    # Wagtail's routing (site, route, alias, view restrictions: 4) before the page's own
    # featured shops, newest products (3), news, categories, kinds and directory link.
    "home": "Wagtail routing and six separate blocks",
    # Wagtail's routing, the shops' count and list with their opening hours, the kinds.
    "directory": "Wagtail routing, then the shops, their hours and kinds",
    # Wagtail routes through each ancestor page (a query each) before the shop's
    # products (3), its opening hours (read twice), its kind, the shop's legal identity.
    "vitrine": "Wagtail routing through the ancestors, hours read twice",
    # Oscar's basket page applies the offers twice (middleware, then the view: vouchers
    # and offers, 2 queries each) before the lines (3) and the shops (1).
    "basket": "Oscar applies the offers twice",
}


def count_queries(client, url):
    client.get(url)  # warm per-process caches (Wagtail site roots, content types)
    caches["pages"].clear()  # a rendering, not the page kept for visitors with a basket (test_basket_visitor_cache)
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
    _, shop_index, _ = factories.build_site()
    catalogue = reverse("catalogue:index")
    return {
        "home": "/",
        "directory": shop_index.url,
        "vitrine": shop.url,
        "category": category.get_absolute_url(),
        "all products": catalogue,
        "catalogue": catalogue,  # its name in tests/integration/test_product_photos.py
        "shop-filtered": f"{catalogue}?boutique={shop.partner.code}",
        "price-filtered": f"{catalogue}?prix_min=1&prix_max=100",
        "product": items[0].get_absolute_url(),
        "search": f"{catalogue}?q=produit",
        "basket": reverse("basket:summary"),
    }


def shown(page, response):
    """How many products the page shows (its grid, or the basket's lines)."""
    if page == "basket":
        return response.context["basket"].num_lines
    return len(response.context["products"])


@pytest.fixture
def show_everything(settings):
    settings.OSCAR_PRODUCTS_PER_PAGE = 48
    settings.TOWNMARKET_SHOP_PRODUCTS_PER_PAGE = 48


def fill_basket(client, items):
    for item in items:
        client.post(reverse("basket:add", kwargs={"pk": item.pk}), {"quantity": 1})


@pytest.mark.parametrize("page", list(EXPECTED))
def test_each_page_costs_the_same_queries_with_12_or_48_products_shown(client, show_everything, page):
    shop, items = town_with(12)
    fill_basket(client, items if page == "basket" else items[:1])
    small, small_response = count_queries(client, page_urls(shop, items)[page])
    more = factories.products(shop, 36, category_name="Épicerie fine")
    if page == "basket":
        fill_basket(client, more)
    large, large_response = count_queries(client, page_urls(shop, items)[page])
    if page not in {"home", "product", "directory"}:
        assert (shown(page, small_response), shown(page, large_response)) == (12, 48)
    assert large == small, f"{page}: {small} queries with 12 products, {large} with 48"
    assert small == EXPECTED[page], f"{page}: {small} queries, pinned at {EXPECTED[page]}"
    assert small <= MAX_QUERIES or page in OVER_BUDGET, f"{page}: {small} queries"


@pytest.mark.parametrize("page", ["category", "all products", "price-filtered", "product"])
def test_pages_cost_the_same_queries_in_a_larger_catalogue(client, page):
    """A page of 24 products among 30, then among 130 (other shops' products too)."""
    shop, items = town_with(30)
    fill_basket(client, items[:1])
    small, _ = count_queries(client, page_urls(shop, items)[page])
    for number in range(4):
        factories.products(factories.shop(f"Commerce {number}"), 25, category_name="Épicerie fine")
    large, _ = count_queries(client, page_urls(shop, items)[page])
    assert large == small, f"{page}: {small} queries among 30 products, {large} among 130"


# Placing an order of three shops, one product each, as production does it (the outbox,
# tasks in the database): pinned (issue 19, item 4). Its e-mails are rendered and its
# invoices issued by the task worker, not in the request (test_checkout_in_background.py).
CHECKOUT_QUERIES = 74


def test_placing_an_order_of_three_shops_costs_the_pinned_queries(client, settings):
    settings.EMAIL_BACKEND = "townmarket.outbox.OutboxBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from tests.integration.helpers import checkout_data

    items = [factories.product(factories.shop(f"Commerce {n}"), title=f"Article {n}", stock=50) for n in range(3)]
    fill_basket(client, items)
    data = checkout_data(client)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("checkout:index"), data)
    assert response.status_code == 302 and response["Location"].endswith(reverse("checkout:thank-you"))
    assert len(queries) == CHECKOUT_QUERIES, "\n".join(query["sql"][:160] for query in queries)
