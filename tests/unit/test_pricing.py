from decimal import Decimal

import pytest

from oscar_apps.partner.strategy import split_tax_inclusive


@pytest.mark.parametrize(
    "price, rate, excl, tax",
    [
        ("12.00", "0.20", "10.00", "2.00"),
        ("10.55", "0.055", "10.00", "0.55"),
        ("9.99", "0.10", "9.08", "0.91"),
        ("0.01", "0.20", "0.01", "0.00"),
        ("4.00", "0.021", "3.92", "0.08"),
    ],
)
def test_a_tax_inclusive_price_splits_without_changing_what_the_customer_pays(price, rate, excl, tax):
    got_excl, got_tax = split_tax_inclusive(Decimal(price), Decimal(rate))
    assert (got_excl, got_tax) == (Decimal(excl), Decimal(tax))
    assert got_excl + got_tax == Decimal(price)
