"""Reading the storefront writes nothing to the database (issue 19): a product page
seen by a thousand visitors must not be a thousand UPDATEs of one counter row (Oscar's
analytics app counted every view, and kept each signed-in customer's views and
searches, personal data nobody reads)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def writes_while_reading(client, url):
    client.get(url)  # the visitor's first request may create their session or basket
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


@pytest.fixture
def storefront():
    factories.build_site()
    shop = factories.shop("Fromagerie du Pont")
    items = factories.products(shop, 3, category_name="Fromages")
    category = factories.category("Fromages")
    return ["/", shop.url, "/boutique/catalogue/", category.get_absolute_url(), items[0].get_absolute_url(),
            "/boutique/catalogue/?q=fromage", "/boutique/basket/"]


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "customer"])
def test_reading_the_storefront_writes_nothing(client, storefront, signed_in, django_user_model):
    if signed_in:
        client.force_login(django_user_model.objects.create_user("claire", "claire@example.fr", "pw-client-2026"))
    for url in storefront:
        assert writes_while_reading(client, url) == [], url
