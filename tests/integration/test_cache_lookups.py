"""Production without Redis keeps its caches in the database (every worker and server
shares them), so each cache lookup is one SQL query: a list page must not look the same
value up once per product card."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

DATABASE_CACHES = {alias: {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "townmarket_cache"}
                   for alias in ("default", "shared")}


def cache_queries(client, path):
    client.get(path)  # fill the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return sum("townmarket_cache" in query["sql"] for query in queries.captured_queries)


@pytest.mark.django_db
def test_a_list_page_looks_each_cached_value_up_once_not_once_per_card(client, settings, town):
    settings.CACHES = DATABASE_CACHES
    category = town["comte"].categories.get()
    few = cache_queries(client, category.get_absolute_url())
    factories.products(town["cheese"], 10)
    many = cache_queries(client, category.get_absolute_url())
    assert many == few, f"{few} cache queries for 2 cards, {many} for 12"
