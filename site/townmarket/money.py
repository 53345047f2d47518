"""The one way to write an amount of money for people: « 1 234,50 € ».

French format whatever the active language (the marketplace counts in euros, in
France): a no-break space (U+00A0) groups thousands and ties « € » to its number, so
a line never breaks between them. U+00A0 rather than the French locale's narrow
no-break space (U+202F): the PDF font (Bitstream Vera, townmarket.pdf) and many
e-mail clients' fonts have no glyph for the narrow one."""
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
CENT = Decimal("0.01")


def amount(value):
    """« 1 234,50 » (no currency sign): for table cells under a « (€) » heading."""
    value = Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{value:,.2f}".replace(",", NBSP).replace(".", ",")


def euros(value):
    """« 1 234,50 € »; « -2,00 € » for a negative amount; None counts as 0."""
    return amount(value) + NBSP + "€"


def csv_number(value):
    """« 1234,50 »: an amount in a CSV cell, ungrouped so that a French spreadsheet
    reads it as a number."""
    return f"{Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP):.2f}".replace(".", ",")
