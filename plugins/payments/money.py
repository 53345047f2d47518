"""Euros as Decimal in the database, integer cents at Stripe."""
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def cents(amount):
    """Decimal("21.50") → 2150. Amounts are stored to the cent, so nothing is rounded away."""
    return int((Decimal(amount) * 100).to_integral_value(rounding=ROUND_HALF_UP))


def euros(amount_in_cents):
    return (Decimal(int(amount_in_cents)) / 100).quantize(CENT)


def share(amount, rate_percent):
    """The commission on `amount` at `rate_percent`, to the nearest cent (half up)."""
    return (Decimal(amount) * Decimal(rate_percent) / 100).quantize(CENT, rounding=ROUND_HALF_UP)
