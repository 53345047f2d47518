"""The settlement counts every sale of the month, whatever paid it: online, at pickup,
at the door (a volunteer), the shop's own gift card, the town card; with a refund, the
commission on every sale, and who owes whom — figures computed by hand."""
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from plugins.gift_cards import ledger
from plugins.gift_cards.models import Kind
from plugins.payments.models import InStorePayment, ShopCommission
from tests.integration.helpers import add_to_basket, place_order
from tests.plugins.gift_cards.conftest import apply_code, make_card
from townmarket.signals import payment_collected

from .test_refunds_and_settlement import refund, shop_order_of

pytestmark = pytest.mark.django_db


def pay_with(client, card, lines):
    """A guest fills the basket, types the card's code, and orders (the rest at pickup)."""
    for product, quantity in lines:
        add_to_basket(client, product, quantity)
    apply_code(client, card.code)
    return place_order(client, []).shop_orders.get()


@pytest.fixture
def month(client, paid_order, team, town, fake_stripe):
    """The cheese shop (5 %) this month: 12,40 online (2,40 refunded), 24,80 at pickup,
    9,80 at the door, 9,80 by its own card, 22,20 of which 20,00 by the town card and
    2,20 at pickup, and 15,00 of town card taken at its counter; the bookshop 8,90 online, and 8,90 ordered but not paid yet."""
    ShopCommission.objects.create(partner=town["cheese"].partner, rate=Decimal("5.00"))
    client.force_login(team["alice"])
    assert refund(client, shop_order_of(paid_order, town["cheese"]), "2,40").status_code == 200
    client.logout()

    pickup = place_order(client, [(town["comte"], 2)]).shop_orders.get()
    client.force_login(team["alice"])
    client.post(reverse("payments_in_store", args=[pickup.pk]), {"paid-amount": "24,80", "paid-means": "carte"})
    client.logout()

    door = place_order(client, [(town["epoisses"], 1)]).shop_orders.get()
    payment_collected.send(sender=None, shop_order=door, amount=Decimal("9.80"), means="especes",
                           user=team["volunteer"])

    shop_card = make_card(Kind.SHOP, "30.00", partner=town["cheese"].partner)
    by_shop_card = pay_with(client, shop_card, [(town["epoisses"], 1)])
    assert by_shop_card.prepaid == Decimal("9.80")

    town_card = make_card(Kind.TOWN, "20.00")
    by_town_card = pay_with(client, town_card, [(town["comte"], 1), (town["epoisses"], 1)])
    assert (by_town_card.prepaid, by_town_card.amount_due) == (Decimal("20.00"), Decimal("2.20"))
    InStorePayment.objects.create(shop_order=by_town_card, amount=Decimal("2.20"), means="especes")

    place_order(client, [(town["novel"], 1)])  # not paid yet: not a sale yet
    # At the counter, no order: a town card (owed by the association), the shop's own card (not).
    ledger.spend(make_card(Kind.TOWN, "15.00"), Decimal("15.00"), town["cheese"].partner)
    ledger.spend(shop_card, Decimal("5.00"), town["cheese"].partner)
    today = timezone.localdate()
    return {"du": today.replace(day=1).isoformat(), "au": today.isoformat()}


def test_every_payment_means_is_settled(client, month, team):
    client.force_login(team["staff"])
    page = client.get(reverse("payments_settlement"), month)
    rows = {row.partner.name: row for row in page.context["rows"]}
    cheese, books = rows["Fromagerie Test"], rows["Librairie Test"]
    assert cheese.orders == 5
    assert (cheese.online, cheese.in_store, cheese.shop_cards, cheese.town_card) == (
        Decimal("12.40"), Decimal("36.80"), Decimal("9.80"), Decimal("20.00"))
    # 12,40 + 24,80 + 9,80 + 9,80 + 22,20 = 79,00, the five parts' totals to the cent.
    assert (cheese.sales, cheese.refunds) == (Decimal("79.00"), Decimal("2.40"))
    # 5 % of 76,60 = 3,83 on every sale, not only online ones.
    assert cheese.commission == Decimal("3.83")
    # Stripe kept 0,57 € on the 21,30 € card payment (1,5 % + 0,25 €): 0,33 € for the
    # cheese shop's 12,40, 0,24 € for the bookshop's 8,90 (pro rata, to the cent).
    assert (cheese.stripe_fees, books.stripe_fees, cheese.unknown_fees) == (Decimal("0.33"), Decimal("0.24"), 0)
    # The association holds 12,40 − 2,40 − 0,33 online and 20,00 + 15,00 of town card for the shop.
    assert cheese.town_card_counter == Decimal("15.00")
    assert (cheese.owed_to_shop, cheese.owed_by_shop, cheese.due) == (
        Decimal("44.67"), Decimal("3.83"), Decimal("40.84"))
    assert (books.orders, books.sales, books.commission, books.due) == (
        1, Decimal("8.90"), Decimal("0.00"), Decimal("8.66"))
    totals = page.context["totals"]
    assert (totals["orders"], totals["sales"], totals["stripe_fees"], totals["due"]) == (
        6, Decimal("87.90"), Decimal("0.57"), Decimal("49.50"))

    text = page.content.decode().replace("\xa0", " ")
    assert "Frais Stripe" in text and "0,33 €" in text and "non connus" not in text
    assert "Carte de la ville" in text and "36,80 €" in text and "40,84 €" in text

    csv_text = b"".join(client.get(reverse("payments_settlement_export"), month).streaming_content)
    header, cheese_line = csv_text.decode("utf-8-sig").splitlines()[:2]
    assert header.split(";") == [
        "Commerce", "Du", "Au", "Commandes", "Payé en ligne", "Payé au retrait ou à la livraison",
        "Cartes cadeaux du commerce", "Carte de la ville", "Ventes TTC", "Remboursements",
        "Carte de la ville au comptoir", "Frais Stripe", "Paiements aux frais Stripe non connus",
        "Taux de commission (%)", "Commission", "Dû par l'association", "Dû par le commerce", "Solde à verser"]
    assert cheese_line.split(";")[3:] == ["5", "12,40", "36,80", "9,80", "20,00", "79,00", "2,40", "15,00",
                                          "0,33", "0", "5,00", "3,83", "44,67", "3,83", "40,84"]


def test_a_merchant_sees_every_sale_of_their_own_shop_only(client, month, team):
    client.force_login(team["bob"])
    rows = client.get(reverse("payments_settlement"), month).context["rows"]
    assert [(row.partner.name, row.orders, row.sales) for row in rows] == [("Librairie Test", 1, Decimal("8.90"))]


@pytest.mark.parametrize("period, message", [
    ({"du": "2026-11-30", "au": "2026-11-01"}, "La date de début doit précéder la date de fin."),
    ({"du": "2099-01-01", "au": "2099-01-31"}, "Choisissez une date entre 2000 et"),
])
def test_a_wrong_period_computes_nothing(client, month, team, period, message):
    client.force_login(team["staff"])
    page = client.get(reverse("payments_settlement"), period)
    assert page.status_code == 200 and message in page.content.decode().replace("&#x27;", "'")
    assert page.context["rows"] == []
    export = client.get(reverse("payments_settlement_export"), period)
    assert export.status_code == 200 and message in export.content.decode().replace("&#x27;", "'")
