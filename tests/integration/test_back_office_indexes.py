"""The back office's hot filters are served by indexes (issue 19): a merchant's orders
by status and date, association staff's « nouvelles » across shops. Without them each
list scans every shop's orders of every year."""
import pytest
from django.db import connection
from oscar.core.loading import get_model

ShopOrder = get_model("order", "ShopOrder")
pytestmark = pytest.mark.django_db


def indexed_column_lists(model):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [c["columns"] for c in constraints.values() if c["index"] or c["unique"]]


@pytest.mark.parametrize("leading", [["partner_id", "status", "date_created"], ["status", "date_created"]])
def test_shop_orders_are_indexed_for_the_back_office_filters(leading):
    assert any(columns[:len(leading)] == leading for columns in indexed_column_lists(ShopOrder)), (
        indexed_column_lists(ShopOrder))
