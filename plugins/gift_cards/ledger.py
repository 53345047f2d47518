"""Every change to a card's balance, each one a LedgerEntry written with the card's
row locked (SELECT … FOR UPDATE), after checking the balance read under that lock:
two spends at once are served one after the other, and the second sees what the
first left. The balance is always the sum of the card's entries."""
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from townmarket.money import euros

from . import codes
from .models import CENT, ZERO, GiftCard, Kind, LedgerEntry

Entry = LedgerEntry.Kind


class CardRefused(Exception):
    """A code or an amount that cannot be used; `message` says why, in French."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def find(typed):
    """The card whose code was typed, or CardRefused saying what is wrong with it."""
    code = codes.normalise(typed)
    if not code:
        raise CardRefused(_("Un code de carte cadeau a 16 caractères, par exemple K7QM-2XHD-9RTB-4WZC."))
    if not codes.is_well_formed(code):
        raise CardRefused(_("Ce code contient une faute de frappe : vérifiez chaque caractère."))
    card = GiftCard.objects.select_related("partner", "service").filter(code=code).first()
    if card is None:
        raise CardRefused(_("Aucune carte cadeau ne correspond à ce code."))
    return card


def not_here():
    return _("Cette carte cadeau n'est pas valable dans ce marché : elle se dépense dans les commerces du "
             "marché qui l'a émise.")


def check_town(card, town_id):
    """A card is spent in its own town only (a town card in every shop of that town): a
    card of another town is refused without a word of its balance."""
    if card.town_id != town_id:
        raise CardRefused(not_here())


def check_usable(card, balance, today=None):
    if card.is_expired(today):
        raise CardRefused(_("Cette carte cadeau a expiré le %(date)s.")
                          % {"date": formats.date_format(card.expires_on, "j F Y")})
    if balance <= ZERO:
        raise CardRefused(_("Cette carte cadeau est épuisée : il n'y reste rien."))


def parse_amount(value):
    """A positive amount in euros to the cent, from a Decimal or a typed « 12,50 »."""
    try:
        amount = Decimal(str(value).strip().replace(",", ".").replace("€", "").strip())
    except InvalidOperation:
        raise CardRefused(_("Écrivez un montant en euros, par exemple 12,50."))
    if not amount.is_finite() or amount <= ZERO:
        raise CardRefused(_("Le montant doit être supérieur à zéro."))
    if amount != amount.quantize(CENT):
        raise CardRefused(_("Le montant s'arrête aux centimes, par exemple 12,50."))
    return amount.quantize(CENT)


def _locked(card):
    return GiftCard.objects.select_for_update(of=("self",)).select_related("partner").get(pk=card.pk)


def accepted_at(card, partner):
    return card.town_id == partner.town_id and (card.kind == Kind.TOWN or card.partner_id == partner.pk)


@transaction.atomic
def spend(card, amount, partner, kind=Entry.SPENT_IN_STORE, shop_order=None, user=None, reason=""):
    """Take `amount` off the card for a purchase at `partner` (None: all that is left,
    a voucher used whole); returns the entry."""
    amount = None if amount is None else parse_amount(amount)
    card = _locked(card)
    check_town(card, partner.town_id)
    if not accepted_at(card, partner):
        raise CardRefused(_("Cette carte n'est valable que chez %(shop)s.") % {"shop": card.partner.name})
    balance = card.balance
    check_usable(card, balance)
    if amount is None:
        amount = balance
    elif amount > balance:
        raise CardRefused(_("Il ne reste que %(balance)s sur cette carte : impossible d'en débiter %(amount)s.")
                          % {"balance": euros(balance), "amount": euros(amount)})
    return LedgerEntry.objects.create(card=card, kind=kind, amount=-amount, partner=partner, shop_order=shop_order,
                                      created_by=user, reason=reason)


def issue(card):
    return LedgerEntry.objects.create(card=card, kind=Entry.ISSUED, amount=card.initial_amount)


@transaction.atomic
def give_back(shop_order):
    """A cancelled shop order: what its cards paid goes back on them (once)."""
    entries = LedgerEntry.objects.filter(shop_order=shop_order)
    owed = entries.values("card").annotate(total=Sum("amount")).filter(total__lt=0)
    given = []
    for row in owed.order_by("card"):
        card = _locked(GiftCard(pk=row["card"]))
        still_owed = -(LedgerEntry.objects.filter(shop_order=shop_order, card=card)
                       .aggregate(total=Sum("amount"))["total"] or ZERO).quantize(CENT)
        if still_owed > ZERO:  # re-read under the lock: a second cancellation adds nothing
            given.append(LedgerEntry.objects.create(
                card=card, kind=Entry.REFUNDED, amount=still_owed, partner=shop_order.partner, shop_order=shop_order,
                reason=_("Commande %(number)s annulée") % {"number": shop_order.order.number}))
    return given


@transaction.atomic
def void_issued(shop_order):
    """A cancelled shop order that sold gift cards: what is left on them is cancelled
    with them (the buyer is refunded for the order)."""
    voided = []
    for card in GiftCard.objects.filter(order_line__order_id=shop_order.order_id,
                                        order_line__partner_id=shop_order.partner_id).order_by("pk"):
        card = _locked(card)
        balance = card.balance
        if balance > ZERO:
            voided.append(LedgerEntry.objects.create(
                card=card, kind=Entry.ADJUSTED, amount=-balance,
                reason=_("Commande %(number)s annulée : carte annulée") % {"number": shop_order.order.number}))
    return voided


@transaction.atomic
def adjust(card, amount, reason, user):
    """A correction by the association: `amount` may be negative, never below zero."""
    if not (reason or "").strip():
        raise CardRefused(_("Indiquez le motif de la correction."))
    try:
        amount = Decimal(str(amount).replace(",", "."))
    except InvalidOperation:
        raise CardRefused(_("Écrivez un montant en euros, par exemple -5,00 ou 10."))
    if not amount.is_finite() or amount == ZERO or amount != amount.quantize(CENT):
        raise CardRefused(_("Le montant de la correction doit être non nul, au centime près."))
    card = _locked(card)
    if card.balance + amount < ZERO:
        raise CardRefused(_("La correction rendrait le solde négatif (solde actuel : %(balance)s).")
                          % {"balance": euros(card.balance)})
    return LedgerEntry.objects.create(card=card, kind=Entry.ADJUSTED, amount=amount, reason=reason.strip(),
                                      created_by=user)


def expire(today=None):
    """Cards past their date with money left: an « expiration » entry empties each.
    Returns how many cards were expired (run daily: `manage.py expire_gift_cards`)."""
    today = today or timezone.localdate()
    done = 0
    for card in GiftCard.objects.filter(expires_on__lt=today).with_balance().filter(balance_sum__gt=0):
        with transaction.atomic():
            card = _locked(card)
            balance = card.balance
            if balance > ZERO:
                LedgerEntry.objects.create(card=card, kind=Entry.EXPIRED, amount=-balance,
                                           reason=_("Expirée le %(date)s") % {"date": formats.date_format(card.expires_on, "j F Y")})
                done += 1
    return done
