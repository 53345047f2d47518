"""« Encaisser une carte cadeau » in the shop, the receipt, and the association's
card look-up, corrections and reports."""
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from plugins.gift_cards import ledger
from plugins.gift_cards.models import Kind, LedgerEntry

from .conftest import make_card, page_text

pytestmark = pytest.mark.django_db
Entry = LedgerEntry.Kind
REDEEM = "/admin/cartes-cadeaux/encaisser/"


def assert_refused(response):
    """Wagtail answers a PermissionDenied by sending back to the dashboard."""
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_a_merchant_takes_a_purchase_off_a_town_card_and_gets_a_receipt(client, team, town):
    card = make_card(amount="50.00")
    client.force_login(team["alice"])
    response = client.post(REDEEM, {"code": card.display_code, "amount": "12,50",
                                    "boutique": town["cheese"].partner.pk}, follow=True)
    page = page_text(response)
    assert "Reçu — Fromagerie Test" in page
    assert "12,50 €" in page and "37,50 €" in page
    entry = card.entries.get(kind=Entry.SPENT_IN_STORE)
    assert (entry.amount, entry.partner, entry.created_by) == (Decimal("-12.50"), town["cheese"].partner, team["alice"])
    assert "····-····-····-" + card.code[-4:] in page_text(client.get(REDEEM))  # in the recent list


@pytest.mark.parametrize("amount, message", [
    ("", "Indiquez le montant de l&#x27;achat."),
    ("abc", "Écrivez un montant en euros, par exemple 12,50."),
    ("80", "Il ne reste que 50,00 € sur cette carte : impossible d&#x27;en débiter 80,00 €."),
])
def test_bad_amounts_in_the_shop_are_explained(client, team, town, amount, message):
    card = make_card(amount="50.00")
    client.force_login(team["alice"])
    response = client.post(REDEEM, {"code": card.code, "amount": amount, "boutique": town["cheese"].partner.pk})
    assert response.status_code == 400 and message in page_text(response)
    assert card.balance == Decimal("50.00")


def test_another_shops_card_is_refused(client, team, town):
    card = make_card(Kind.SHOP, partner=town["books"].partner)
    client.force_login(team["alice"])
    response = client.post(REDEEM, {"code": card.code, "amount": "5", "boutique": town["cheese"].partner.pk})
    assert response.status_code == 400 and "n&#x27;est valable que chez Librairie Test" in page_text(response)
    assert card.balance == Decimal("50.00")


def test_a_merchant_cannot_redeem_for_a_shop_that_is_not_theirs(client, team, town):
    card = make_card()
    client.force_login(team["alice"])
    response = client.post(REDEEM, {"code": card.code, "amount": "5", "boutique": town["books"].partner.pk})
    assert response.status_code == 400 and card.balance == Decimal("50.00")


def test_a_voucher_is_redeemed_whole(client, team, town, offers):
    card = make_card(Kind.SERVICE, amount="35.00", partner=town["cheese"].partner, service=offers["tasting"])
    client.force_login(team["alice"])
    response = client.post(REDEEM, {"code": card.code, "amount": "", "boutique": town["cheese"].partner.pk}, follow=True)
    assert "Bon pour : Plateau dégustation" in page_text(response)
    assert card.balance == Decimal("0.00")


def test_receipts_are_seen_by_their_shop_only_and_volunteers_cannot_redeem(client, team, town):
    card = make_card()
    entry = ledger.spend(card, "5", town["cheese"].partner, user=team["alice"])
    client.force_login(team["bob"])
    assert client.get(reverse("gift_cards_receipt", args=[entry.pk])).status_code == 404
    client.force_login(team["volunteer"])
    assert_refused(client.get(REDEEM))


def test_staff_find_a_card_by_code_and_correct_it_with_a_reason(client, team, town):
    card = make_card(amount="50.00")
    ledger.spend(card, "10", town["cheese"].partner)
    client.force_login(team["staff"])
    url = reverse("gift_cards_card")
    page = page_text(client.get(url, {"code": card.display_code}))
    assert "Solde : 40,00 €" in page and "Achat en magasin" in page and "Fromagerie Test" in page

    refused = client.post(url, {"code": card.code, "amount": "5", "reason": ""})
    assert refused.status_code == 400 and "Indiquez le motif de la correction." in page_text(refused)
    done = client.post(url, {"code": card.code, "amount": "-5,00", "reason": "Double encaissement"}, follow=True)
    assert "Solde corrigé : 35,00 €." in page_text(done)
    entry = card.entries.get(kind=Entry.ADJUSTED)
    assert (entry.amount, entry.reason, entry.created_by) == (Decimal("-5.00"), "Double encaissement", team["staff"])

    client.force_login(team["alice"])
    assert_refused(client.get(url, {"code": card.code}))


def test_staff_see_the_outstanding_amount_and_what_the_town_card_owes_each_shop(client, team, town):
    spent = make_card(amount="50.00")
    make_card(amount="20.00")
    make_card(Kind.SHOP, amount="30.00", partner=town["cheese"].partner)
    make_card(amount="99.00", expires_in_days=-1)  # expired: no longer owed
    ledger.spend(spent, "12.50", town["cheese"].partner)
    ledger.spend(spent, "7.50", town["books"].partner, kind=Entry.SPENT_ONLINE)
    client.force_login(team["staff"])

    page = page_text(client.get(reverse("gift_cards_report")))
    assert "Carte cadeau de la ville</td><td>2</td><td>50,00 €" in page  # 30 + 20 left
    assert "Carte cadeau du commerce</td><td>1</td><td>30,00 €" in page
    assert "Fromagerie Test</td><td>1</td><td>0,00 €</td><td>12,50 €" in page

    today = timezone.localdate().strftime("%d/%m/%Y")
    export = client.get(reverse("gift_cards_report_export"))
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert lines == [
        "Commerce;Du;Au;Utilisations;En ligne;En magasin;Rendu (commandes annulées);Montant dû",
        f"Fromagerie Test;{timezone.localdate().replace(day=1):%d/%m/%Y};{today};1;0,00;12,50;0,00;12,50",
        f"Librairie Test;{timezone.localdate().replace(day=1):%d/%m/%Y};{today};1;7,50;0,00;0,00;7,50",
    ]
    bad = page_text(client.get(reverse("gift_cards_report"), {"du": "2026-12-01", "au": "2026-11-01"}))
    assert "La date de début doit précéder la date de fin." in bad
    client.force_login(team["alice"])
    assert_refused(client.get(reverse("gift_cards_report")))
