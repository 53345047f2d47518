"""VAT on tax-inclusive prices, to the cent.

Prices are entered TTC. Each line's HT is its TTC divided by (1 + rate), rounded to
the cent (half up), and its VAT is TTC − HT, so HT + TVA = TTC exactly on every line.
Totals per rate and overall are sums of lines, so they add up to the cent too. The
unit HT shown is the unit TTC divided the same way, for information: a line's HT is
computed from its TTC, not from unit HT × quantity (which could drift by a cent).

A fee (delivery) follows the goods it delivers: it is split between the part's VAT
rates in proportion to their TTC, each share rounded to the cent and the last rate
taking what is left, then divided like a line. A seller under the « franchise en
base » (art. 293 B du CGI) charges no VAT: HT = TTC, rate « 0 »."""
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
EXEMPT = "0"
OUT_OF_SCOPE = "0.0"  # partner.VatRate.OUT_OF_SCOPE: a multi-purpose voucher


def cents(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def split_ttc(ttc, rate):
    """(HT, TVA) of a tax-inclusive amount at `rate` (a string, percent: "5.5")."""
    ttc = cents(ttc)
    ratio = Decimal(rate) / Decimal(100)
    ht = cents(ttc / (1 + ratio))
    return ht, ttc - ht


def share_out(amount, weights):
    """`amount` split in proportion to `weights` ({key: weight}), to the cent, the last
    key (in the order given) taking the rest: the shares add up to `amount` exactly."""
    amount = cents(amount)
    keys = list(weights)
    total = sum(weights.values(), ZERO)
    if not keys:
        return {}
    if total <= 0:
        return {**{key: ZERO for key in keys[:-1]}, keys[-1]: amount}
    shares, given = {}, ZERO
    for key in keys[:-1]:
        shares[key] = cents(amount * weights[key] / total)
        given += shares[key]
    shares[keys[-1]] = amount - given
    return shares


def rate_totals(rows):
    """[{rate, ht, vat, ttc}] summed per rate (rows: dicts with rate, ht, vat, ttc as
    Decimals), highest rate first."""
    totals = {}
    for row in rows:
        entry = totals.setdefault(row["rate"], {"rate": row["rate"], "ht": ZERO, "vat": ZERO, "ttc": ZERO})
        for key in ("ht", "vat", "ttc"):
            entry[key] += row[key]
    return sorted(totals.values(), key=lambda entry: Decimal(entry["rate"]), reverse=True)


def grand_totals(rows):
    return {key: sum((row[key] for row in rows), ZERO) for key in ("ht", "vat", "ttc")}


def rate_label(rate):
    """« 5,5 % », « 20 % »; the franchise's « 0 » reads « — »."""
    if rate == EXEMPT:
        return "—"
    if rate == OUT_OF_SCOPE:
        return _("hors champ")
    value = Decimal(rate).normalize()
    text = f"{value:f}".replace(".", ",")
    return f"{text}\u00a0%"
