"""VAT on tax-inclusive amounts (invoicing/amounts.py): every split adds up to the cent."""
from decimal import Decimal
from itertools import product as combinations

import pytest

from invoicing import amounts


@pytest.mark.parametrize("rate", ["5.5", "10.0", "20.0", "2.1", amounts.EXEMPT])
def test_ht_plus_vat_is_the_ttc_for_every_amount_and_rate(rate):
    for cents in range(1, 2000, 7):
        ttc = Decimal(cents) / 100
        ht, vat = amounts.split_ttc(ttc, rate)
        assert ht + vat == ttc and ht == ht.quantize(amounts.CENT) and vat >= 0


def test_a_fee_shared_between_rates_adds_up_to_the_fee():
    for fee_cents, weights in combinations(range(1, 800, 13), [(1, 1, 1), (3, 7, 11), (0, 5, 0), (2, 0, 9)]):
        fee = Decimal(fee_cents) / 100
        shares = amounts.share_out(fee, dict(zip(["20.0", "10.0", "5.5"], map(Decimal, weights))))
        assert sum(shares.values()) == fee
        assert all(share >= 0 for share in shares.values())


def test_totals_per_rate_are_sums_of_lines():
    rows = []
    for rate, ttc in [("5.5", "3.33"), ("5.5", "16.38"), ("10.0", "14.97"), ("20.0", "12.97")]:
        ht, vat = amounts.split_ttc(Decimal(ttc), rate)
        rows.append({"rate": rate, "ht": ht, "vat": vat, "ttc": Decimal(ttc)})
    per_rate = amounts.rate_totals(rows)
    assert [entry["rate"] for entry in per_rate] == ["20.0", "10.0", "5.5"]
    assert all(entry["ht"] + entry["vat"] == entry["ttc"] for entry in per_rate)
    whole = amounts.grand_totals(per_rate)
    assert whole["ttc"] == sum(row["ttc"] for row in rows) and whole["ht"] + whole["vat"] == whole["ttc"]
    assert amounts.rate_label("5.5") == "5,5\u00a0%" and amounts.rate_label("20.0") == "20\u00a0%"
