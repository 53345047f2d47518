"""Spending a card at checkout: on the eligible lines only, partly, the rest paid
otherwise; every refusal explained and the balance left as it was."""
import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_apps.order import workflow
from plugins.gift_cards import ledger
from townmarket import extensions
from plugins.gift_cards.models import Kind, LedgerEntry
from tests.integration.helpers import add_to_basket, checkout_data

from .conftest import apply_code, buy_card, make_card, page_messages, page_text

Order = get_model("order", "Order")
ShopOrder = get_model("order", "ShopOrder")
StockRecord = get_model("partner", "StockRecord")
Entry = LedgerEntry.Kind
pytestmark = pytest.mark.django_db


def test_town_card_pays_every_shop_and_the_rest_is_paid_at_pickup(client, town, offers,
                                                                  django_capture_on_commit_callbacks):
    card = make_card(amount="15.00")
    add_to_basket(client, town["comte"])  # 12,40 at the cheese shop
    add_to_basket(client, town["novel"])  # 8,90 at the bookshop

    response = apply_code(client, card.display_code.lower())

    assert page_messages(response) == ["Carte cadeau acceptée : 15,00\u00a0€ déduits de votre commande. "
                                       "Il restera 0,00\u00a0€ sur la carte."]
    assert response.context["prepaid"] == Decimal("15.00")
    assert response.context["amount_due"] == Decimal("6.30")  # 21,30 − 15,00
    assert "Carte ····-····-····-" + card.code[-4:] in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("checkout:index"), checkout_data(client))
    order = Order.objects.get()
    parts = {so.partner.name: so for so in order.shop_orders.all()}
    assert parts["Fromagerie Test"].prepaid == Decimal("12.40")
    assert parts["Librairie Test"].prepaid == Decimal("2.60")
    assert parts["Librairie Test"].amount_due == Decimal("6.30")
    assert card.balance == Decimal("0.00")
    assert sorted(e.amount for e in card.entries.filter(kind=Entry.SPENT_ONLINE)) == [Decimal("-12.40"), Decimal("-2.60")]
    thanks = page_text(client.get(reverse("checkout:thank-you")))
    assert "Payé : 15,00 € — Carte cadeau." in thanks
    assert "Reste à payer aux commerçants : 6,30 €." in thanks
    # the card is no longer applied to the next basket
    assert client.session.get("gift_card_codes") == []


def test_shop_card_applies_to_its_shop_lines_only_and_keeps_the_rest(client, town, offers):
    card = make_card(Kind.SHOP, amount="50.00", partner=town["cheese"].partner)
    add_to_basket(client, town["comte"])
    add_to_basket(client, town["novel"])

    response = apply_code(client, card.code)

    assert page_messages(response) == ["Carte cadeau acceptée : 12,40\u00a0€ déduits de votre commande. "
                                       "Il restera 37,60\u00a0€ sur la carte."]
    assert response.context["amount_due"] == Decimal("8.90")
    client.post(reverse("checkout:index"), checkout_data(client))
    assert card.balance == Decimal("37.60")
    entry = card.entries.get(kind=Entry.SPENT_ONLINE)
    assert entry.partner == town["cheese"].partner and entry.shop_order.partner == town["cheese"].partner


def test_voucher_applies_to_its_service_only(client, town, offers):
    card = make_card(Kind.SERVICE, amount="35.00", partner=town["cheese"].partner, service=offers["tasting"])
    add_to_basket(client, town["comte"])
    refused = apply_code(client, card.code)
    assert page_messages(refused) == ["Ce bon est pour « Plateau dégustation » chez Fromagerie Test : "
                                      "ajoutez cette prestation à votre panier."]
    add_to_basket(client, offers["tasting"])
    accepted = apply_code(client, card.code)
    assert accepted.context["amount_due"] == Decimal("12.40")


def test_a_shop_card_where_the_basket_has_nothing_of_that_shop_is_refused(client, town, offers):
    card = make_card(Kind.SHOP, partner=town["cheese"].partner)
    add_to_basket(client, town["novel"])
    response = apply_code(client, card.code)
    assert page_messages(response) == ["Cette carte n'est valable que chez Fromagerie Test : "
                                       "votre panier n'a aucun article de ce commerce."]
    assert client.session.get("gift_card_codes", []) == []


def test_gift_cards_cannot_pay_for_gift_cards(client, town, offers):
    card = make_card()
    buy_card(client, offers["town_card"], amount_choice="20")
    response = apply_code(client, card.code)
    assert page_messages(response) == ["Une carte cadeau ne sert pas à acheter une autre carte cadeau."]


@pytest.mark.parametrize("typed, message", [
    ("", "Saisissez le code inscrit sur la carte."),
    ("1234", "Un code de carte cadeau a 16 caractères, par exemple K7QM-2XHD-9RTB-4WZC."),
    ("K7QM-2XHD-9RTB-4WZ!", "Un code de carte cadeau a 16 caractères, par exemple K7QM-2XHD-9RTB-4WZC."),
])
def test_malformed_codes_are_explained(client, town, offers, typed, message):
    add_to_basket(client, town["comte"])
    response = apply_code(client, typed)
    assert page_messages(response) == [message]
    assert response.status_code == 200


def test_a_mistyped_unknown_expired_or_empty_card_is_refused_and_unchanged(client, town, offers):
    add_to_basket(client, town["comte"])
    card = make_card(amount="30.00")
    wrong_char = card.code[:5] + ("A" if card.code[5] != "A" else "B") + card.code[6:]
    assert page_messages(apply_code(client, wrong_char)) == [
        "Ce code contient une faute de frappe : vérifiez chaque caractère."]

    from plugins.gift_cards import codes
    other = codes.generate()
    assert page_messages(apply_code(client, other)) == ["Aucune carte cadeau ne correspond à ce code."]

    expired = make_card(expires_in_days=-1)
    date = (timezone.localdate() - datetime.timedelta(days=1))
    expected = f"Cette carte cadeau a expiré le {date.day} "
    assert page_messages(apply_code(client, expired.code))[0].startswith(expected)

    empty = make_card(amount="10.00")
    ledger.spend(empty, "10.00", town["cheese"].partner)
    assert page_messages(apply_code(client, empty.code)) == ["Cette carte cadeau est épuisée : il n'y reste rien."]

    assert page_messages(apply_code(client, card.code))[0].startswith("Carte cadeau acceptée")
    assert page_messages(apply_code(client, card.code)) == ["Cette carte cadeau est déjà utilisée pour cette commande."]
    assert card.balance == Decimal("30.00") and expired.balance == Decimal("50.00")


def test_removing_a_card_from_the_order(client, town, offers):
    card = make_card()
    add_to_basket(client, town["comte"])
    apply_code(client, card.code)
    response = client.post(reverse("gift_cards_remove"), {"carte": card.code[-4:]}, follow=True)
    assert page_messages(response) == ["La carte cadeau n'est plus utilisée pour cette commande."]
    assert response.context["amount_due"] == Decimal("12.40")


def test_a_card_spent_elsewhere_while_the_order_is_placed_refuses_it_and_saves_nothing(client, town, offers):
    card = make_card(amount="20.00")
    add_to_basket(client, town["comte"])
    apply_code(client, card.code)

    def spent_in_the_bookshop_meanwhile(partner, options, checkout):
        """Between the amounts computed and the card locked, another purchase takes 15 €."""
        return [dataclasses.replace(option, reserve=lambda shop_order, c: ledger.spend(
            card, "15.00", town["books"].partner)) for option in options]

    with extensions.register_temporarily(extensions.FULFILMENT_FILTERS, spent_in_the_bookshop_meanwhile):
        response = client.post(reverse("checkout:index"), checkout_data(client))

    assert response.status_code == 200
    assert [str(error) for error in response.context["form"].non_field_errors()] == [
        f"La carte cadeau {card.masked_code} n'a pas pu être débitée : Il ne reste que 5,00\u00a0€ sur cette carte : "
        "impossible d'en débiter 12,40\u00a0€. Vérifiez le montant à payer."]
    assert Order.objects.count() == 0
    assert card.balance == Decimal("20.00")  # the bookshop's spend was rolled back with the order
    assert StockRecord.objects.get(product=town["comte"]).num_allocated == 0


def test_the_amount_shown_follows_the_balance_when_the_card_was_used_elsewhere(client, town, offers):
    card = make_card(amount="20.00")
    add_to_basket(client, town["comte"])
    apply_code(client, card.code)
    ledger.spend(card, "15.00", town["books"].partner)

    assert client.get(reverse("checkout:index")).context["amount_due"] == Decimal("7.40")


def test_cancelling_the_shop_order_gives_the_amount_back_to_the_card(client, town, offers):
    card = make_card(amount="50.00")
    add_to_basket(client, town["comte"], 2)
    apply_code(client, card.code)
    client.post(reverse("checkout:index"), checkout_data(client))
    shop_order = ShopOrder.objects.get()
    assert card.balance == Decimal("25.20")

    workflow.change_status(shop_order, ShopOrder.Status.CANCELLED)
    workflow_again = ShopOrder.objects.get(pk=shop_order.pk)
    ledger.give_back(workflow_again)  # a second time gives nothing more

    assert card.balance == Decimal("50.00")
    refund = card.entries.get(kind=Entry.REFUNDED)
    assert refund.amount == Decimal("24.80") and refund.reason == f"Commande {shop_order.order.number} annulée"
