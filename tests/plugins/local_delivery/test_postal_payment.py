"""A parcel sent by La Poste is paid online: nobody is at the door to collect « au
commerçant ». Unless the shop accepts payment before sending (a cheque, a transfer):
then the parcel waits until the shop records the payment."""
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from plugins.local_delivery.models import DoorPayment, ShopDelivery
from plugins.payments.models import InStorePayment
from tests.integration.helpers import checkout_data
from tests.plugins.payments.conftest import fake_stripe  # noqa: F401  the fixture

from .conftest import ADDRESS
from .test_checkout_delivery import field_of, fill

Order = get_model("order", "Order")
REFUSAL = "se paie en ligne"


def postal_checkout(client, market, payment_method):
    page = fill(client, market, market["wine"])
    data = checkout_data(client, payment_method=payment_method, **ADDRESS)
    data[field_of(page, market["wine_shop"].partner)] = "postal"
    return client.post(reverse("checkout:index"), data)


@pytest.mark.django_db
class TestPostalNeedsOnlinePayment:
    def test_postal_and_pay_at_the_shop_is_refused(self, client, market, fake_stripe):  # noqa: F811
        response = postal_checkout(client, market, "pay_at_pickup")
        assert response.status_code == 200
        html = response.content.decode()
        assert ("Cave Test : « Envoi par La Poste, livraison prévue mardi 24 novembre » se paie en ligne. "
                "Choisissez « Carte bancaire en ligne »") in html
        assert not Order.objects.exists()

    def test_without_online_payment_postal_is_greyed_out_and_refused(self, client, market):
        page = fill(client, market, market["wine"])
        postal = next(o for g in page.context["shop_groups"] for o in g.options if o.code == "postal")
        assert not postal.available
        assert postal.unavailable_reason == ("Se paie en ligne uniquement, et le paiement en ligne n'est pas "
                                             "proposé : choisissez un autre mode pour Cave Test.")
        response = postal_checkout(client, market, "pay_at_pickup")
        assert response.status_code == 200
        assert "Se paie en ligne uniquement" in response.content.decode()
        assert not Order.objects.exists()

    def test_postal_and_card_online_is_accepted(self, client, market, fake_stripe):  # noqa: F811
        response = postal_checkout(client, market, "stripe_card")
        assert response.status_code == 302
        order = Order.objects.get()
        assert order.shop_orders.get().fulfilment_code == "postal"

    def test_click_and_collect_may_still_be_paid_at_the_shop(self, client, market):
        page = fill(client, market, market["wine"])
        data = checkout_data(client, payment_method="pay_at_pickup")
        data[field_of(page, market["wine_shop"].partner)] = "click_collect"
        assert client.post(reverse("checkout:index"), data).status_code == 302


@pytest.mark.django_db
class TestPaymentBeforeSending:
    @pytest.fixture
    def held(self, client, market):
        ShopDelivery.objects.filter(partner=market["wine_shop"].partner).update(payment_before_sending=True)
        response = postal_checkout(client, market, "pay_at_pickup")
        assert response.status_code == 302, response.content.decode()[:2000]
        return Order.objects.get().shop_orders.get()

    def test_the_parcel_is_held_until_the_shop_records_the_payment(self, client, market, team, held):
        client.force_login(team["staff"])
        page = client.get(reverse("backoffice_order", args=[held.pk])).content.decode()
        assert "En attente du paiement : n'envoyez pas le colis" in page
        response = client.post(reverse("local_delivery_paid_before_sending", args=[held.pk]),
                               {"amount": f"{held.amount_due}".replace(".", ","), "means": "cheque"}, follow=True)
        page = response.content.decode()
        assert "Paiement reçu : vous pouvez envoyer le colis." in page
        assert DoorPayment.objects.get(shop_order=held).amount == held.amount_due
        assert InStorePayment.objects.get(shop_order=held).means == "cheque"

    def test_another_shops_order_is_404_and_bad_amounts_refused(self, client, market, team, held):
        client.force_login(team["alice"])  # the cheese merchant: not her shop's order
        url = reverse("local_delivery_paid_before_sending", args=[held.pk])
        assert client.post(url, {"amount": "1,00", "means": "cheque"}).status_code == 404
        client.force_login(team["staff"])
        html = client.post(url, {"amount": "9999,00", "means": "cheque"}, follow=True).content.decode()
        assert "ne peut pas dépasser ce qui est dû" in html
        assert not DoorPayment.objects.exists()
        assert held.amount_due > Decimal("0")
