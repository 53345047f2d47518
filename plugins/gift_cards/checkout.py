"""Spending cards at checkout. The codes a customer entered live in their session
(at most MAX_CARDS); each is turned into an Adjustment on the eligible lines only:
a shop card on its shop's lines, a voucher on its service, the town card on every
line, never on gift cards themselves and never on fees. Placing the order spends
them with the card locked (ledger.spend); a card spent meanwhile refuses the order."""
from collections import defaultdict

from django.contrib import messages
from django.db import transaction
from django.dispatch import receiver
from oscar.apps.checkout.signals import post_checkout
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from townmarket import extensions
from townmarket.sites import current_site

from . import ledger, lines, throttle
from .forms import CodeForm
from .models import ZERO, GiftCard, Kind

SESSION_KEY = "gift_card_codes"
MAX_CARDS = 3
Entry = ledger.Entry


def session_codes(request):
    return list(request.session.get(SESSION_KEY, []))


def eligible(card, line):
    if lines.is_gift_card(line) or line.stockrecord is None:
        return False
    if card.kind == Kind.TOWN:
        return True
    if card.partner_id != line.stockrecord.partner_id:
        return False
    return card.kind != Kind.SERVICE or line.product_id == card.service_id


def allocate(cards, basket_lines):
    """[(card, balance, {partner_id: amount})]: each card in turn pays what it can of
    the eligible lines the cards before it left unpaid."""
    unpaid = {line.pk: line.line_price_incl_tax_incl_discounts for line in basket_lines}
    result = []
    for card in cards:
        balance = card.balance
        left, shares = balance, defaultdict(lambda: ZERO)
        if not card.is_expired():
            for line in basket_lines:
                if left <= ZERO:
                    break
                if eligible(card, line):
                    take = min(left, unpaid[line.pk])
                    unpaid[line.pk] -= take
                    shares[line.stockrecord.partner_id] += take
                    left -= take
        result.append((card, balance, dict(shares)))
    return result


def town_of(request, basket=None):
    """The town whose checkout this is: the basket's (a basket is one town's), else the
    request's."""
    town_id = getattr(basket, "town_id", None)
    if town_id:
        return town_id
    site = current_site(request)
    return site.pk if site is not None else None


def applied_cards(request, basket=None):
    """The cards entered for this basket: the basket's town's only."""
    codes_ = session_codes(request)
    if not codes_:
        return []
    cards = {card.code: card for card in GiftCard.objects.filter(code__in=codes_, town_id=town_of(request, basket))
             .select_related("partner")}
    return sorted((cards[code] for code in codes_ if code in cards), key=lambda card: card.pk)


def spend_at_checkout(card, amount, shares):
    def apply(order, shop_orders, checkout):
        try:
            with transaction.atomic():
                for partner_id, share in sorted(shares.items()):
                    ledger.spend(card, share, shop_orders[partner_id].partner, kind=Entry.SPENT_ONLINE,
                                 shop_order=shop_orders[partner_id], reason=_("Commande %(n)s") % {"n": order.number})
        except ledger.CardRefused as refusal:
            raise extensions.CheckoutRefused(
                _("La carte cadeau %(card)s n'a pas pu être débitée : %(why)s Vérifiez le montant à payer.")
                % {"card": card.masked_code, "why": refusal.message})

    return apply


@extensions.register(extensions.BASKET_ADJUSTMENTS)
def gift_card_adjustments(basket, checkout):
    adjustments = []
    for card, balance, shares in allocate(applied_cards(checkout.request, basket), list(basket.all_lines())):
        amount = sum(shares.values(), ZERO)
        if amount <= ZERO:
            continue
        adjustments.append(extensions.Adjustment(
            code=f"carte-cadeau-{card.code[-4:]}",
            label=_("Carte cadeau %(card)s (il y restera %(left)s)")
            % {"card": card.masked_code, "left": ledger.euros(balance - amount)},
            amount=amount, means=_("Carte cadeau"), shares=shares, apply=spend_at_checkout(card, amount, shares),
        ))
    return adjustments


@extensions.register(extensions.CHECKOUT_PANELS)
def gift_card_panel(request, basket):
    rows = [{"card": card, "balance": balance, "used": sum(shares.values(), ZERO)}
            for card, balance, shares in allocate(applied_cards(request, basket), list(basket.all_lines()))]
    for row in rows:
        row["left"] = row["balance"] - row["used"]
    return [extensions.Panel(_("Carte cadeau"), "gift_cards/checkout_panel.html",
                             {"code_form": CodeForm(), "rows": rows, "full": len(rows) >= MAX_CARDS})]


@receiver(post_checkout)
def forget_spent_cards(sender, order, request, **kwargs):
    """The order is placed: its cards are not carried over to the next basket."""
    if request is not None and SESSION_KEY in request.session:
        request.session[SESSION_KEY] = []


def forget(request, code):
    request.session[SESSION_KEY] = [c for c in session_codes(request) if c != code]


class ApplyCardView(View):
    """« Utiliser cette carte » on the checkout page (throttled)."""

    http_method_names = ["post"]

    def post(self, request):
        if throttle.is_blocked(request):
            messages.error(request, _("Trop de codes erronés : réessayez dans %(minutes)s minutes.")
                           % {"minutes": throttle.wait_minutes(request)})
            return redirect("checkout:index")
        form = CodeForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors["code"][0])
            return redirect("checkout:index")
        try:
            card = ledger.find(form.cleaned_data["code"])
        except ledger.CardRefused as refusal:
            throttle.record(request, succeeded=False)
            messages.error(request, refusal.message)
            return redirect("checkout:index")
        throttle.record(request, succeeded=True)
        message = self.refusal(request, card)
        if not message:
            # The card's row among every applied card, in the order the checkout uses.
            cards = sorted(applied_cards(request, request.basket) + [card], key=lambda c: c.pk)
            balance, shares = next((b, s) for c, b, s in allocate(cards, list(request.basket.all_lines())) if c == card)
            message = self.unusable(card, balance, shares)
        if message:
            messages.error(request, message)
            return redirect("checkout:index")
        request.session[SESSION_KEY] = session_codes(request) + [card.code]
        used = sum(shares.values(), ZERO)
        messages.success(request, _("Carte cadeau acceptée : %(used)s déduits de votre commande. "
                                    "Il restera %(left)s sur la carte.")
                         % {"used": ledger.euros(used), "left": ledger.euros(balance - used)})
        return redirect("checkout:index")

    @staticmethod
    def refusal(request, card):
        if card.town_id != town_of(request, request.basket):
            return ledger.not_here()  # another town's card: nothing of its balance
        if card.code in session_codes(request):
            return _("Cette carte cadeau est déjà utilisée pour cette commande.")
        if len(session_codes(request)) >= MAX_CARDS:
            return _("Vous pouvez utiliser au plus %(n)s cartes pour une commande.") % {"n": MAX_CARDS}
        return ""

    @staticmethod
    def unusable(card, balance, shares):
        try:
            ledger.check_usable(card, balance)
        except ledger.CardRefused as refusal:
            return refusal.message
        if shares:
            return ""
        if card.kind == Kind.TOWN:
            return _("Une carte cadeau ne sert pas à acheter une autre carte cadeau.")
        if card.kind == Kind.SERVICE:
            return _("Ce bon est pour « %(service)s » chez %(shop)s : ajoutez cette prestation à votre panier.") % {
                "service": card.service_name, "shop": card.partner.name}
        return _("Cette carte n'est valable que chez %(shop)s : votre panier n'a aucun article de ce commerce.") % {
            "shop": card.partner.name}


class RemoveCardView(View):
    http_method_names = ["post"]

    def post(self, request):
        tail = request.POST.get("carte", "")
        code = next((c for c in session_codes(request) if tail and c.endswith(tail)), None)
        if code:
            forget(request, code)
            messages.success(request, _("La carte cadeau n'est plus utilisée pour cette commande."))
        return redirect("checkout:index")
