"""Twenty customers check out the last three units at the same moment."""
import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from tests import factories
from tests.conftest import requires_postgres
from tests.integration.helpers import add_to_basket, checkout_data
from tests.support.parallel import run_at_once

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

CUSTOMERS = 20
UNITS = 3


@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_checkouts_for_the_last_three_units_give_exactly_three_orders():
    shop = factories.shop("Cave Concurrence", kind="Caviste")
    product = factories.product(shop, title="Dernier magnum", price="45.00", stock=UNITS)
    clients = []
    for _ in range(CUSTOMERS):
        client = Client()
        add_to_basket(client, product, 1)
        clients.append((client, checkout_data(client)))
    outcomes, errors = run_at_once(
        lambda pair: pair[0].post(reverse("checkout:index"), pair[1]).status_code, clients)

    assert not errors, errors
    assert len(outcomes) == CUSTOMERS and all(code == 302 for code in outcomes)
    assert Order.objects.count() == UNITS
    stockrecord = StockRecord.objects.get(product=product)
    assert stockrecord.num_allocated == UNITS
    assert stockrecord.net_stock_level == 0
