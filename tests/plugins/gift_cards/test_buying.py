"""Buying a card: amount and recipient on its product page, no delivery, issued
once paid, e-mailed on the chosen day with a printable PDF."""
import datetime
import io
from decimal import Decimal

import pypdfium2
import pytest
import zxingcpp
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from pypdf import PdfReader

from oscar_apps.order import workflow
from oscar_apps.partner.strategy import Selector
from plugins.gift_cards import issuing, lines
from plugins.gift_cards.models import GiftCard, Kind, LedgerEntry, add_months
from plugins.gift_cards.pdf import render_card
from tests.integration.helpers import add_to_basket, checkout_data

from .conftest import buy_card, make_card, page_text

Basket = get_model("basket", "Basket")
ShopOrder = get_model("order", "ShopOrder")
pytestmark = pytest.mark.django_db


def test_the_product_page_asks_for_amount_and_recipient(client, offers):
    page = page_text(client.get(offers["town_card"].get_absolute_url()))
    assert 'action="/cartes-cadeaux/produit/' in page
    for label in ("20,00 €", "50,00 €", "100,00 €", "Autre montant", "Entre 10,00 € et 300,00 €.",
                  "Prénom et nom du destinataire", "E-mail du destinataire", "Date d&#x27;envoi"):
        assert label in page
    assert 'name="quantity"' not in page  # not the usual « Ajouter au panier » form

    voucher = page_text(client.get(offers["voucher"].get_absolute_url()))
    assert "Montant du bon : 35,00 €" in voucher and "Autre montant" not in voucher


def test_a_preset_or_a_free_amount_prices_the_basket_line(client, offers):
    response = buy_card(client, offers["town_card"], amount_choice="100")
    assert response.status_code == 302 and response["Location"] == reverse("basket:summary")
    buy_card(client, offers["town_card"], amount_choice="autre", other_amount="42,50", recipient_name="Léa")

    summary = page_text(client.get(reverse("basket:summary")))
    assert "142,50 €" in summary
    assert sorted(line.price_incl_tax for line in Basket.objects.get().lines.all()) == [Decimal("42.50"), Decimal("100.00")]
    assert "a changé" not in summary and "augmenté" not in summary  # no « price changed » warning


@pytest.mark.parametrize("fields, field, message", [
    ({"amount_choice": "autre", "other_amount": "5"}, "other_amount", "Choisissez un montant entre 10,00 € et 300,00 €."),
    ({"amount_choice": "autre", "other_amount": "301"}, "other_amount", "Choisissez un montant entre 10,00 € et 300,00 €."),
    ({"amount_choice": "autre", "other_amount": "dix"}, "other_amount", "Écrivez un montant en euros, par exemple 45 ou 45,50."),
    ({"amount_choice": "autre", "other_amount": "12,345"}, "other_amount", "Le montant s'arrête aux centimes, par exemple 45,50."),
    ({"amount_choice": "autre", "other_amount": ""}, "other_amount", "Indiquez le montant de la carte."),
    ({"amount_choice": "75"}, "amount_choice", "Choisissez l'un des montants proposés."),
    ({"amount_choice": ""}, "amount_choice", "Choisissez le montant de la carte."),
    ({"recipient_name": ""}, "recipient_name", "Indiquez à qui vous offrez cette carte."),
    ({"recipient_email": "marie@"}, "recipient_email", "Saisissez une adresse e-mail valide, par exemple marie.dupont@exemple.fr."),
    ({"send_on": "2020-01-01"}, "send_on", "La date d'envoi ne peut pas être passée."),
    ({"send_on": "31/02/2027"}, "send_on", "Choisissez une date, par exemple 24/12/2026."),
    ({"message": "x" * 501}, "message", "Le message tient en 500 caractères au plus."),
])
def test_bad_purchase_input_is_explained_and_nothing_is_added(client, offers, fields, field, message):
    response = buy_card(client, offers["town_card"], **fields)
    assert response.status_code == 400
    assert [error.replace("\xa0", " ") for error in response.context["form"].errors[field]] == [message]
    assert message.replace("'", "&#x27;") in page_text(response)
    assert not Basket.objects.filter(lines__isnull=False).exists()


def test_a_forged_amount_through_the_ordinary_basket_form_gets_the_catalogue_price(client, offers):
    """Oscar's own add-to-basket takes options too; an amount the offer does not allow is ignored."""
    options = lines.ensure_options()
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    line, _created = basket.add_product(offers["town_card"], 1,
                                        options=[{"option": options[lines.AMOUNT], "value": "0.01"}])
    assert line.unit_price_incl_tax == Decimal("50.00")


def test_gift_cards_alone_need_no_delivery(client, offers):
    buy_card(client, offers["town_card"])
    page = client.get(reverse("checkout:index"))
    (group,) = page.context["shop_groups"]
    assert [option.code for option in group.options] == ["carte_cadeau_email"]
    assert "Carte cadeau envoyée par e-mail" in page_text(page)


def place_card_order(client, offers, django_capture_on_commit_callbacks, **fields):
    buy_card(client, offers["town_card"], **fields)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("checkout:index"), checkout_data(client))
    return ShopOrder.objects.get(partner=offers["association"])


def hand_over(shop_order, django_capture_on_commit_callbacks):
    """The buyer pays at the association's office: the part goes to « Retirée »."""
    with django_capture_on_commit_callbacks(execute=True):
        for status in (ShopOrder.Status.PREPARING, ShopOrder.Status.READY, ShopOrder.Status.COLLECTED):
            shop_order = workflow.change_status(shop_order, status, notify_customer=False)


def test_paid_at_pickup_the_card_is_issued_when_handed_over_and_emailed(client, offers, django_capture_on_commit_callbacks):
    shop_order = place_card_order(client, offers, django_capture_on_commit_callbacks)
    assert GiftCard.objects.count() == 0  # not paid yet
    mail.outbox.clear()

    hand_over(shop_order, django_capture_on_commit_callbacks)

    card = GiftCard.objects.get()
    assert (card.kind, card.partner, card.initial_amount, card.balance) == (Kind.TOWN, None, Decimal("50.00"), Decimal("50.00"))
    assert card.expires_on == add_months(timezone.localdate(), 12)
    assert card.entries.get().kind == LedgerEntry.Kind.ISSUED
    (message,) = mail.outbox
    assert message.to == ["marie@example.org"]
    assert message.subject == "Hélène Jourdan vous offre une carte cadeau"
    assert card.display_code in message.body and "Joyeux anniversaire !" in message.body
    assert "Valable dans tous les commerces participants." in message.body
    (name, content, mimetype), = message.attachments
    assert mimetype == "application/pdf" and card.display_code in PdfReader(io.BytesIO(content)).pages[0].extract_text()
    # handing over again (or a repeated signal) issues nothing more
    issuing.issue_for(shop_order.order)
    assert GiftCard.objects.count() == 1


def test_a_card_for_a_later_day_is_sent_on_that_day(client, offers, django_capture_on_commit_callbacks):
    birthday = timezone.localdate() + datetime.timedelta(days=10)
    shop_order = place_card_order(client, offers, django_capture_on_commit_callbacks, send_on=birthday.isoformat())
    mail.outbox.clear()
    hand_over(shop_order, django_capture_on_commit_callbacks)
    card = GiftCard.objects.get()
    assert mail.outbox == [] and card.sent_at is None

    assert issuing.send_due(today=birthday - datetime.timedelta(days=1)) == 0
    assert issuing.send_due(today=birthday) == 1
    assert issuing.send_due(today=birthday) == 0  # once
    assert [m.to for m in mail.outbox] == [["marie@example.org"]]
    assert card.expires_on.year == birthday.year + 1  # twelve months from the day it is given


def test_the_card_is_issued_when_the_online_payment_is_confirmed(client, offers, fake_stripe,
                                                                 django_capture_on_commit_callbacks):
    from tests.plugins.payments.conftest import post_event
    buy_card(client, offers["town_card"], amount_choice="20")
    client.post(reverse("checkout:index"), checkout_data(client, payment_method="stripe_card"))
    payment = get_model("order", "Order").objects.get().online_payment
    assert payment.amount == Decimal("20.00") and GiftCard.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, fake_stripe, fake_stripe.complete(payment.session_id))
    assert GiftCard.objects.get().balance == Decimal("20.00")
    assert any(m.to == ["marie@example.org"] for m in mail.outbox)


def test_the_pdf_shows_code_amount_shop_expiry_and_a_qr_code_of_the_code(town, offers):
    card = make_card(Kind.SHOP, amount="80.00", partner=town["cheese"].partner)
    content = render_card(card, "http://testserver/cartes-cadeaux/solde/")

    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert card.display_code in text
    assert "80,00 €" in text
    assert "Valable chez Fromagerie Test" in text
    assert f"Valable jusqu'au {card.expires_on.day}" in text and str(card.expires_on.year) in text
    assert "Pour Marie Dupont" in text
    image = pypdfium2.PdfDocument(content)[0].render(scale=2).to_pil()
    assert [barcode.text for barcode in zxingcpp.read_barcodes(image)] == [card.display_code]


def test_the_send_and_expire_commands_run(offers):
    make_card(expires_in_days=-3)
    out = io.StringIO()
    call_command("expire_gift_cards", stdout=out)
    call_command("send_gift_cards", stdout=out)
    assert "1 carte(s) expirée(s)." in out.getvalue() and "carte(s) envoyée(s)." in out.getvalue()
