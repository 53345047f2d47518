"""Pricing strategy: French shops enter tax-inclusive (TTC) prices.

The stock record's `price` is what the customer pays; the VAT part is derived from
the stock record's `vat_rate`, so invoices can show HT / TVA / TTC without ever
changing the price the merchant typed.
"""
from decimal import ROUND_HALF_UP, Decimal

from oscar.apps.partner import prices
from oscar.apps.partner.strategy import (
    PurchaseInfo,
    StockRequired,
    Structured,
    UseFirstStockRecord,
)

from townmarket import extensions

CENT = Decimal("0.01")


def split_tax_inclusive(price_incl_tax, vat_ratio):
    """Return (excl_tax, tax) for a tax-inclusive price; excl + tax == price exactly."""
    excl_tax = (price_incl_tax / (1 + vat_ratio)).quantize(CENT, rounding=ROUND_HALF_UP)
    return excl_tax, price_incl_tax - excl_tax


class TaxInclusivePricing:
    def pricing_policy(self, product, stockrecord):
        if not stockrecord or stockrecord.price is None:
            return prices.Unavailable()
        excl_tax, tax = split_tax_inclusive(stockrecord.price, stockrecord.vat_ratio)
        return prices.TaxInclusiveFixedPrice(
            currency=stockrecord.price_currency, excl_tax=excl_tax, tax=tax
        )

    def parent_pricing_policy(self, product, children_stock):
        stockrecords = [stock for _, stock in children_stock if stock is not None]
        if not stockrecords:
            return prices.Unavailable()
        return self.pricing_policy(product, stockrecords[0])


class FrenchStrategy(UseFirstStockRecord, StockRequired, TaxInclusivePricing, Structured):
    """One stock record per product (each product belongs to one shop)."""

    def fetch_for_line(self, line, stockrecord=None):
        """A line whose price depends on its options (LINE_PRICES: a gift card of a
        chosen amount) is priced by its plugin; every other line by its stock record."""
        info = super().fetch_for_line(line, stockrecord)
        price_incl_tax = extensions.line_price(line)
        if price_incl_tax is None or info.stockrecord is None:
            return info
        excl_tax, tax = split_tax_inclusive(price_incl_tax, info.stockrecord.vat_ratio)
        price = prices.TaxInclusiveFixedPrice(currency=info.stockrecord.price_currency, excl_tax=excl_tax, tax=tax)
        return PurchaseInfo(price=price, availability=info.availability, stockrecord=info.stockrecord)


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return FrenchStrategy(request)
