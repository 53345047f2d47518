"""A whole purchase over HTTP, from two shops, and everything that can go wrong."""
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model

from tests.integration.helpers import add_to_basket, checkout_data

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
ShopOrder = get_model("order", "ShopOrder")
StockRecord = get_model("partner", "StockRecord")


def fill_basket(client, town):
    add_to_basket(client, town["comte"], 2)
    add_to_basket(client, town["novel"], 1)


class TestPurchaseFromTwoShops:
    def test_basket_groups_lines_by_shop_with_subtotals(self, client, town):
        fill_basket(client, town)
        response = client.get(reverse("basket:summary"))
        groups = response.context["shop_groups"]
        assert [g.partner.name for g in groups] == ["Fromagerie Test", "Librairie Test"]
        assert [g.subtotal for g in groups] == [Decimal("24.80"), Decimal("8.90")]
        body = response.content.decode()
        assert "24,80\u00a0€" in body and "33,70\u00a0€" in body

    def test_checkout_offers_click_and_collect_at_each_shop_with_address_and_hours(self, client, town):
        fill_basket(client, town)
        body = client.get(reverse("checkout:index")).content.decode()
        assert body.count("Retrait en magasin (click &amp; collect)") == 2
        assert "1 rue du Test, 21130 Val-sur-Ouche" in body
        assert "Mardi 09h00–12h30" in body
        assert "Payer au commerçant" in body

    def test_placing_the_order_allocates_stock_confirms_and_emails_everyone(self, client, town):
        fill_basket(client, town)
        response = client.post(reverse("checkout:index"), checkout_data(client), follow=True)
        assert response.status_code == 200
        order = Order.objects.get()
        assert order.number in response.content.decode()
        assert "Merci, votre commande est enregistrée" in response.content.decode()
        assert order.total_incl_tax == Decimal("33.70")
        assert order.guest_email == "helene@example.org"
        assert order.customer_name == "Hélène Jourdan"
        assert order.customer_phone.as_national == "06 12 34 56 78"
        parts = {part.partner.name: part for part in ShopOrder.objects.filter(order=order)}
        assert set(parts) == {"Fromagerie Test", "Librairie Test"}
        assert parts["Fromagerie Test"].subtotal == Decimal("24.80")
        assert parts["Fromagerie Test"].fulfilment_code == "click_collect"
        assert StockRecord.objects.get(product=town["comte"]).num_allocated == 2
        assert StockRecord.objects.get(product=town["novel"]).num_allocated == 1

        by_recipient = {tuple(m.to): m for m in mail.outbox}
        customer_mail = by_recipient[("helene@example.org",)]
        assert order.number in customer_mail.subject
        assert "Retrait en magasin (click & collect) : 1 rue du Test, 21130 Val-sur-Ouche" in customer_mail.body
        assert "Fromagerie Test" in customer_mail.body and "Librairie Test" in customer_mail.body
        cheese_mail = by_recipient[("fromagerie-test@example.org",)]
        assert "Comté 18 mois" in cheese_mail.body
        assert "Roman policier" not in cheese_mail.body
        assert "Hélène Jourdan" in cheese_mail.body and "06 12 34 56 78" in cheese_mail.body
        books_mail = by_recipient[("librairie-test@example.org",)]
        assert "Roman policier" in books_mail.body and "Comté" not in books_mail.body

        # The basket is spent: the header counts nothing and checkout sends back to the basket.
        assert client.get(reverse("checkout:index")).status_code == 302

    def test_a_signed_in_customer_checks_out_under_their_account(self, client, town, django_user_model):
        user = django_user_model.objects.create_user("marie", "marie@example.org", "pw-secret-123")
        client.force_login(user)
        fill_basket(client, town)
        client.post(reverse("checkout:index"), checkout_data(client, email="marie@example.org"))
        order = Order.objects.get()
        assert order.user == user and order.email == "marie@example.org"

    def test_staff_see_the_order_in_the_back_office(self, client, town, admin_user):
        fill_basket(client, town)
        client.post(reverse("checkout:index"), checkout_data(client))
        order = Order.objects.get()
        client.force_login(admin_user)
        response = client.get(reverse("dashboard:order-detail", kwargs={"number": order.number}))
        assert response.status_code == 200
        assert "Comté 18 mois" in response.content.decode()


class TestBadInput:
    @pytest.mark.parametrize(
        "field, value, message",
        [
            ("phone", "12", "Saisissez un numéro de téléphone valide"),
            ("phone", "", "Indiquez un numéro de téléphone où vous joindre"),
            ("first_name", "", "Indiquez votre prénom"),
            ("email", "helene@", "Saisissez une adresse e-mail valide"),
            ("payment_method", "bitcoin", "Ce moyen de paiement n&#x27;est pas disponible"),
        ],
    )
    def test_invalid_contact_or_payment_gets_a_french_message_and_no_order(self, client, town, field, value, message):
        fill_basket(client, town)
        response = client.post(reverse("checkout:index"), checkout_data(client, **{field: value}))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Order.objects.exists()
        assert StockRecord.objects.get(product=town["comte"]).num_allocated == 0

    def test_a_fulfilment_method_the_shop_does_not_offer_is_refused(self, client, town):
        fill_basket(client, town)
        data = checkout_data(client)
        field = next(k for k in data if k.startswith("fulfilment_"))
        data[field] = "teleportation"
        response = client.post(reverse("checkout:index"), data)
        assert "Ce mode de retrait ou de livraison, ou cette date, n&#x27;est pas proposé" in response.content.decode()
        assert not Order.objects.exists()

    @pytest.mark.parametrize(
        "quantity, message",
        [
            (0, "Assurez-vous que cette valeur est supérieure ou égale à 1."),
            (-2, "Assurez-vous que cette valeur est supérieure ou égale à 1."),
            ("beaucoup", "Saisissez un nombre entier."),
            (4, "Un maximum de 3 peut être acheté"),  # only 3 in stock
        ],
    )
    def test_a_zero_negative_non_numeric_or_above_stock_quantity_adds_nothing(self, client, town, quantity, message):
        response = add_to_basket(client, town["novel"], quantity)
        assert response.status_code == 302
        assert message in [str(m) for m in get_messages(response.wsgi_request)]
        assert client.get(reverse("basket:summary")).context["basket"].num_items == 0

    def test_a_basket_line_pushed_above_stock_is_refused(self, client, town):
        add_to_basket(client, town["novel"], 1)
        line = client.get(reverse("basket:summary")).context["basket"].all_lines()[0]
        response = client.post(reverse("basket:summary"), {
            "form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1, "form-MIN_NUM_FORMS": 0, "form-MAX_NUM_FORMS": 1000,
            "form-0-id": line.pk, "form-0-quantity": 9,
        }, follow=True)
        assert response.status_code == 200
        assert client.get(reverse("basket:summary")).context["basket"].num_items == 1

    def test_tampered_basket_line_ids_change_nothing_and_do_not_crash(self, client, town):
        other = client.__class__()
        add_to_basket(other, town["comte"], 1)
        foreign_line = other.get(reverse("basket:summary")).context["basket"].all_lines()[0]
        add_to_basket(client, town["novel"], 1)
        for tampered in [foreign_line.pk, 999999, "abc"]:
            response = client.post(reverse("basket:summary"), {
                "form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1, "form-MIN_NUM_FORMS": 0, "form-MAX_NUM_FORMS": 1000,
                "form-0-id": tampered, "form-0-quantity": 5,
            })
            assert response.status_code in (200, 302)
        assert other.get(reverse("basket:summary")).context["basket"].num_items == 1
        assert client.get(reverse("basket:summary")).context["basket"].num_items == 1

    def test_adding_an_unknown_product_is_404(self, client, town):
        assert client.post(reverse("basket:add", kwargs={"pk": 999999}), {"quantity": 1}).status_code == 404

    def test_checkout_with_an_empty_basket_sends_back_to_the_basket(self, client, town):
        response = client.get(reverse("checkout:index"))
        assert response.status_code == 302 and response["Location"] == reverse("basket:summary")

    def test_stock_gone_between_basket_and_checkout_places_no_order(self, client, town):
        add_to_basket(client, town["novel"], 3)
        data = checkout_data(client)
        StockRecord.objects.filter(product=town["novel"]).update(num_allocated=1)  # someone else bought one
        response = client.post(reverse("checkout:index"), data, follow=True)
        assert not Order.objects.exists()
        assert StockRecord.objects.get(product=town["novel"]).num_allocated == 1
        assert response.redirect_chain[-1][0] == reverse("basket:summary")


def test_a_mail_server_outage_does_not_hide_a_placed_order(client, town, settings):
    settings.EMAIL_BACKEND = "townmarket.outbox.OutboxBackend"  # as in production
    settings.OUTBOX_DELIVERY_BACKEND = "tests.support.failing_mail.FailingEmailBackend"
    fill_basket(client, town)
    response = client.post(reverse("checkout:index"), checkout_data(client), follow=True)
    assert response.status_code == 200
    order = Order.objects.get()
    assert order.number in response.content.decode()
