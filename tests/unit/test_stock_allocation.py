import pytest

from oscar_apps.partner.models import InsufficientStock
from tests import factories


@pytest.mark.django_db
class TestAllocatingStock:
    def test_allocates_while_stock_remains(self):
        shop = factories.shop("Épicerie Stock")
        stockrecord = factories.product(shop, stock=3).stockrecords.get()
        stockrecord.allocate(2)
        stockrecord.refresh_from_db()
        assert stockrecord.num_allocated == 2
        assert stockrecord.net_stock_level == 1

    def test_refuses_to_go_below_zero_and_changes_nothing(self):
        shop = factories.shop("Épicerie Stock 2")
        stockrecord = factories.product(shop, stock=3).stockrecords.get()
        stockrecord.allocate(2)
        with pytest.raises(InsufficientStock):
            stockrecord.allocate(2)
        stockrecord.refresh_from_db()
        assert stockrecord.num_allocated == 2
