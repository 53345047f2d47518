"""The ledger: balance = sum of entries; refusals leave it untouched; expiry."""
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from plugins.gift_cards import codes, ledger
from plugins.gift_cards.models import Kind, LedgerEntry
from plugins.gift_cards.reports import outstanding

from .conftest import make_card

Entry = LedgerEntry.Kind


def test_codes_have_75_random_bits_grouped_and_a_check_character():
    generated = {codes.generate() for _ in range(2000)}
    assert len(generated) == 2000
    code = generated.pop()
    assert len(code) == 16 and set(code) <= set(codes.ALPHABET) and codes.is_well_formed(code)
    assert codes.display(code) == "-".join([code[0:4], code[4:8], code[8:12], code[12:16]])
    assert codes.normalise(" " + codes.display(code).lower().replace("-", " ") + " ") == code


def test_every_single_typo_and_neighbour_swap_is_caught():
    code = codes.generate()
    for position in range(16):
        for char in codes.ALPHABET:
            if char != code[position]:
                assert not codes.is_well_formed(code[:position] + char + code[position + 1:])
    for position in range(15):
        swapped = code[:position] + code[position + 1] + code[position] + code[position + 2:]
        # 0↔Z is the one swap Luhn mod 32 cannot see (documented in codes.py)
        if swapped != code and {code[position], code[position + 1]} != {"0", "Z"}:
            assert not codes.is_well_formed(swapped)


def test_readers_confusions_are_forgiven():
    code = "0123456789ABCDEF"
    assert codes.normalise("o123-4567-89ab-cdef") == code
    assert codes.normalise("0L23 4567 89AB CDEF") == "0123456789ABCDEF"
    assert codes.normalise("0123") == "" and codes.normalise("0123456789ABCDEU") == ""


@pytest.mark.django_db
def test_balance_is_the_sum_of_the_entries(town):
    card = make_card(amount="50.00")
    cheese, books = town["cheese"].partner, town["books"].partner
    ledger.spend(card, "12,50", cheese)
    ledger.spend(card, Decimal("7.50"), books, kind=Entry.SPENT_ONLINE)
    ledger.adjust(card, "-2.50", "Geste commercial annulé", None)
    ledger.adjust(card, "5", "Erreur de caisse", None)
    assert card.balance == Decimal("32.50")
    assert sum(e.amount for e in card.entries.all()) == card.balance
    assert [e.kind for e in card.entries.all()] == [Entry.ISSUED, Entry.SPENT_IN_STORE, Entry.SPENT_ONLINE,
                                                    Entry.ADJUSTED, Entry.ADJUSTED]


@pytest.mark.django_db
@pytest.mark.parametrize("amount, message", [
    ("60", "Il ne reste que 50,00\u00a0€ sur cette carte : impossible d'en débiter 60,00\u00a0€."),
    ("50.01", "Il ne reste que 50,00\u00a0€ sur cette carte : impossible d'en débiter 50,01\u00a0€."),
    ("0", "Le montant doit être supérieur à zéro."),
    ("-5", "Le montant doit être supérieur à zéro."),
    ("abc", "Écrivez un montant en euros, par exemple 12,50."),
    ("NaN", "Le montant doit être supérieur à zéro."),
    ("1,234", "Le montant s'arrête aux centimes, par exemple 12,50."),
])
def test_refused_spends_say_why_and_change_nothing(town, amount, message):
    card = make_card(amount="50.00")
    with pytest.raises(ledger.CardRefused) as refused:
        ledger.spend(card, amount, town["cheese"].partner)
    assert refused.value.message == message
    assert card.balance == Decimal("50.00") and card.entries.count() == 1


@pytest.mark.django_db
def test_a_shop_card_is_refused_in_another_shop(town):
    card = make_card(Kind.SHOP, partner=town["cheese"].partner)
    with pytest.raises(ledger.CardRefused, match="n'est valable que chez Fromagerie Test"):
        ledger.spend(card, "5", town["books"].partner)
    assert card.balance == Decimal("50.00")


@pytest.mark.django_db
def test_staff_corrections_need_a_reason_and_never_go_below_zero(town):
    card = make_card(amount="10.00")
    with pytest.raises(ledger.CardRefused, match="Indiquez le motif"):
        ledger.adjust(card, "5", "  ", None)
    with pytest.raises(ledger.CardRefused, match="rendrait le solde négatif"):
        ledger.adjust(card, "-10.01", "Erreur", None)
    assert card.balance == Decimal("10.00")


@pytest.mark.django_db
def test_expired_cards_are_refused_then_emptied_once(town):
    card = make_card(amount="30.00", expires_in_days=-1)
    live = make_card(amount="20.00")
    with pytest.raises(ledger.CardRefused, match="a expiré le"):
        ledger.spend(card, "5", town["cheese"].partner)

    assert ledger.expire() == 1
    assert ledger.expire() == 0
    assert card.balance == Decimal("0.00") and card.entries.last().kind == Entry.EXPIRED
    assert live.balance == Decimal("20.00")
    assert outstanding() == [("Carte cadeau de la ville", 1, Decimal("20.00"))]


@pytest.mark.django_db
def test_a_card_lasts_until_its_last_day(town):
    card = make_card(expires_in_days=0)
    ledger.spend(card, "5", town["cheese"].partner)
    assert card.is_expired(timezone.localdate() + datetime.timedelta(days=1))
