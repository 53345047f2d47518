"""The customer pays what the checkout page showed. The page carries what it showed
(each shop's articles, each option's fee, each part payment such as a gift card) in a
hidden field; when the order is submitted, the same amounts are computed again, and if
a price, a fee or a card's balance changed in between, the order is not placed and the
page says what changed. Inside the order's transaction, each part payment then spends
exactly the share shown, or refuses the order (the card's row is locked there)."""
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from oscar.templatetags.currency_filters import currency


def amounts(shop_groups, adjustments):
    """{key: Decimal}: « shop:<partner> » articles, « fee:<partner>:<option> » fees,
    « paid:<code> » part payments."""
    shown = {}
    for group in shop_groups:
        shown[f"shop:{group.partner.pk}"] = group.subtotal
        for option in group.options:
            shown[f"fee:{group.partner.pk}:{option.code}"] = option.fee
    for adjustment in adjustments:
        shown[f"paid:{adjustment.code}"] = adjustment.amount
    return shown


def encode(shown):
    return ";".join(f"{key}={value:.2f}" for key, value in sorted(shown.items()))


def decode(text):
    """The posted amounts, or None if the field is missing or was tampered with."""
    shown = {}
    try:
        for item in (text or "").split(";"):
            key, value = item.rsplit("=", 1)
            shown[key] = Decimal(value)
    except (ValueError, InvalidOperation):
        return None
    return shown or None


def changes(posted, now, shop_groups, adjustments):
    """None when the amounts are those the page showed; else a French message saying
    what changed."""
    shown = decode(posted)
    if shown is None:
        return _("La page de commande a changé : vérifiez le montant à payer puis validez à nouveau.")
    if {key: value.quantize(Decimal("0.01")) for key, value in now.items()} == shown:
        return None
    said = []
    names = {group.partner.pk: group.partner.name for group in shop_groups}
    labels = {f"fee:{group.partner.pk}:{option.code}": option.label for group in shop_groups for option in group.options}
    cards = {f"paid:{adjustment.code}": adjustment.label for adjustment in adjustments}
    for key in sorted(set(shown) | set(now)):
        before, after = shown.get(key), now.get(key)
        if before == after:
            continue
        kind, _sep, rest = key.partition(":")
        if kind == "shop" and after is not None:
            said.append(_("Vos articles chez %(shop)s coûtent maintenant %(new)s (au lieu de %(old)s).") % {
                "shop": names.get(int(rest), ""), "new": currency(after), "old": currency(before or 0)})
        elif kind == "fee" and after is not None and before is not None:
            said.append(_("« %(option)s » coûte maintenant %(new)s (au lieu de %(old)s).") % {
                "option": labels.get(key, ""), "new": currency(after), "old": currency(before)})
        elif kind == "paid":
            if after is None:
                said.append(_("Le paiement partiel de %(old)s ne s'applique plus à cette commande : "
                              "son solde a été utilisé entre-temps.") % {"old": currency(before)})
            else:
                said.append(_("%(card)s : %(new)s déduits maintenant (au lieu de %(old)s).") % {
                    "card": cards.get(key, ""), "new": currency(after), "old": currency(before or 0)})
    said.append(_("Votre commande n'a pas été passée. Vérifiez le nouveau montant à payer puis validez à nouveau."))
    return " ".join(said)
