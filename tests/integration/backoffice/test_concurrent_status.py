"""A merchant and a colleague both press « Annuler » (or one presses « Prête ») at
the same moment: exactly one move happens, and the stock is released once."""
import pytest
from django.test import Client
from oscar.core.loading import get_model

from oscar_apps.order import workflow
from tests import factories
from tests.conftest import requires_postgres
from tests.integration.helpers import place_order
from tests.support.parallel import run_at_once

ShopOrder = get_model("order", "ShopOrder")
StockRecord = get_model("partner", "StockRecord")
CLICKS = 10


@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_status_changes_move_a_shop_order_once_and_release_stock_once():
    factories.build_site()
    shop = factories.shop("Épicerie Concurrence")
    product = factories.product(shop, title="Miel de sapin", price="8.00", stock=10)
    order = place_order(Client(), [(product, 4)])
    part_id = ShopOrder.objects.get(order=order).pk

    def click(prepared):
        shop_order, target = prepared
        try:
            workflow.change_status(shop_order, target)
        except workflow.StatusConflict:
            return "conflict", target
        return "won", target

    targets = ["annulee"] * (CLICKS - 2) + ["en_preparation"] * 2
    outcomes, errors = run_at_once(
        click, targets, prepare=lambda target: (ShopOrder.objects.select_related("order").get(pk=part_id), target))
    wins = [target for outcome, target in outcomes if outcome == "won"]
    conflicts = [target for outcome, target in outcomes if outcome == "conflict"]

    assert not errors, errors
    assert len(wins) == 1 and len(conflicts) == CLICKS - 1
    record = StockRecord.objects.get(product=product)
    expected_allocated = 0 if wins == ["annulee"] else 4
    assert (record.num_in_stock, record.num_allocated) == (10, expected_allocated)
    assert ShopOrder.objects.get(pk=part_id).status == wins[0]
