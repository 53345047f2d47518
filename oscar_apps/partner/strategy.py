"""Pricing strategy: French shops enter tax-inclusive (TTC) prices.

The stock record's `price` is what the customer pays; the VAT part is derived from
the stock record's `vat_rate`, so invoices can show HT / TVA / TTC without ever
changing the price the merchant typed.
"""
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner import availability, prices
from oscar.apps.partner.strategy import (
    PurchaseInfo,
    StockRequired,
    Structured,
    UseFirstStockRecord,
)

from townmarket import extensions
from townmarket.sites import current_site

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


class SoldInAnotherTown(availability.Unavailable):
    """A shop of another town (Partner.town): not sold on this town's site, whatever the URL posted."""

    message = _("Non vendu sur ce marché")

    def is_purchase_permitted(self, quantity):
        return False, _("Ce produit n'est pas vendu sur ce marché : il n'a pas été ajouté à votre panier.")


class FrenchStrategy(UseFirstStockRecord, StockRequired, TaxInclusivePricing, Structured):
    """One stock record per product (each product belongs to one shop). On a town's
    storefront, only that town's shops sell: another town's stock record is unavailable,
    so neither the basket nor the checkout takes it (`town_id` None: every town's)."""

    def __init__(self, request=None, any_town=False):
        super().__init__(request)
        if any_town:
            self.town_id = None

    @cached_property
    def town_id(self):
        site = current_site(self.request) if self.request is not None else None
        return site.pk if site is not None else None

    def availability_policy(self, product, stockrecord):
        if stockrecord is not None and self.town_id is not None and stockrecord.partner.town_id != self.town_id:
            return SoldInAnotherTown()
        return super().availability_policy(product, stockrecord)

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


# The back office prices for staff of any shop they manage (backoffice.roles), whatever its host.
BACK_OFFICE_PREFIXES = ("/admin/", "/django-admin/", "/boutique/dashboard/")


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        if request is not None and request.path_info.startswith(BACK_OFFICE_PREFIXES):
            return FrenchStrategy(request, any_town=True)
        return FrenchStrategy(request)
