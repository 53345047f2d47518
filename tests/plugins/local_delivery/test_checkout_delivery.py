"""One basket, three shops, three ways: a food shop delivered by the volunteers on
Tuesday, a bookshop collected in store, the wine merchant by post."""
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model
from pypdf import PdfReader

from plugins.local_delivery.models import DeliveryStop, RoundDay, ShopDelivery
from tests.integration.helpers import add_to_basket, checkout_data

from .conftest import ADDRESS

Order = get_model("order", "Order")
ShopOrder = get_model("order", "ShopOrder")


def field_of(page, partner):
    return next(g.field_name for g in page.context["shop_groups"] if g.partner == partner)


def options_of(page, partner):
    return {o.code: o for g in page.context["shop_groups"] if g.partner == partner for o in g.options}


def fill(client, market, *products):
    for product in products or (market["comte"], market["novel"], market["wine"]):
        add_to_basket(client, product)
    return client.get(reverse("checkout:index"))


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
class TestMixedBasket:
    def test_each_shop_offers_what_it_does_with_real_dates(self, client, market):
        page = fill(client, market)
        cheese = options_of(page, market["cheese"].partner)
        assert list(cheese) == ["click_collect", "local_delivery-2026-11-24", "local_delivery-2026-11-27",
                                "local_delivery-2026-12-01"]
        assert cheese["local_delivery-2026-11-24"].label == "Livraison à domicile mardi 24 novembre"
        assert cheese["local_delivery-2026-12-01"].label == "Livraison à domicile mardi 1er décembre"
        books = options_of(page, market["books"].partner)
        assert "local_delivery-2026-11-26" in books  # not food: Thursday
        wine = options_of(page, market["wine_shop"].partner)
        assert wine["postal"].label == "Envoi par La Poste, livraison prévue mardi 24 novembre"
        assert wine["postal"].fee == Decimal("4.00")
        html = page.content.decode()
        assert "Livraison à domicile jeudi 26 novembre" in html and "Adresse de livraison" in html

    def test_the_order_keeps_each_method_date_and_fee(self, client, market, team, django_capture_on_commit_callbacks):
        # Paid at the shops: the wine merchant takes a cheque before sending (else by post is paid online).
        ShopDelivery.objects.filter(partner=market["wine_shop"].partner).update(payment_before_sending=True)
        page = fill(client, market)
        data = checkout_data(client, **ADDRESS)
        data[field_of(page, market["cheese"].partner)] = "local_delivery-2026-11-24"
        data[field_of(page, market["books"].partner)] = "click_collect"
        data[field_of(page, market["wine_shop"].partner)] = "postal"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("checkout:index"), data)
        assert response.status_code == 302, response.content.decode()[:3000]

        order = Order.objects.get()
        parts = {so.partner_id: so for so in order.shop_orders.all()}
        cheese = parts[market["cheese"].partner.pk]
        assert cheese.fulfilment_label == "Livraison à domicile mardi 24 novembre"
        assert cheese.fulfilment_details["date"] == "2026-11-24"
        assert cheese.fulfilment_details["delivery_address"] == "12 rue des Tanneurs, 2e étage, 21130 Val-sur-Ouche"
        assert parts[market["books"].partner.pk].fulfilment_code == "click_collect"
        wine = parts[market["wine_shop"].partner.pk]
        assert (wine.fulfilment_code, wine.fulfilment_fee) == ("postal", Decimal("4.00"))
        assert wine.fulfilment_details["payment_before_sending"] is True  # held until the shop is paid
        assert order.shipping_incl_tax == Decimal("4.00")
        assert order.total_incl_tax == order.basket_total_incl_tax + Decimal("4.00")
        assert (order.shipping_address.postcode, order.shipping_address.notes) == ("21130", "Sonner chez Jourdan")

        stop = DeliveryStop.objects.get()
        assert (stop.order, stop.date, list(stop.parcels.all())) == (order, dt.date(2026, 11, 24), [cheese])
        assert RoundDay.objects.get(date=dt.date(2026, 11, 24)).booked == 1

        customer_mail = next(m for m in mail.outbox if m.to == ["helene@example.org"])
        assert "Livraison à domicile mardi 24 novembre : 12 rue des Tanneurs" in customer_mail.body
        assert "Envoi par La Poste, livraison prévue mardi 24 novembre" in customer_mail.body

        # The cheese merchant sees the method, the date and the address, on screen and on the slip.
        client.force_login(team["alice"])
        detail = client.get(reverse("backoffice_order", args=[cheese.pk])).content.decode()
        assert "Livraison à domicile mardi 24 novembre" in detail
        assert "12 rue des Tanneurs, 2e étage, 21130 Val-sur-Ouche" in detail and "Sonner chez Jourdan" in detail
        slip = pdf_text(client.get(reverse("backoffice_order_slip", args=[cheese.pk])).content)
        assert "Livraison à domicile mardi 24 novembre" in slip
        assert "12 rue des Tanneurs" in slip and "Sonner chez Jourdan" in slip

    def test_two_shops_on_the_same_round_make_one_stop(self, client, market):
        wine_only = ShopDelivery.objects.get(partner=market["wine_shop"].partner)
        page = fill(client, market, market["comte"], market["wine"])
        data = checkout_data(client, **ADDRESS)
        data[field_of(page, market["cheese"].partner)] = "local_delivery-2026-11-27"
        data[field_of(page, market["wine_shop"].partner)] = "local_delivery-2026-11-27"
        assert wine_only.local_delivery
        assert client.post(reverse("checkout:index"), data).status_code == 302
        stop = DeliveryStop.objects.get()
        assert stop.parcels.count() == 2
        assert RoundDay.objects.get(date=dt.date(2026, 11, 27)).booked == 1

    def test_the_free_above_threshold_and_the_local_fee(self, client, market, zone):
        zone.local_fee, zone.local_free_above = Decimal("2.50"), Decimal("20.00")
        zone.save()
        page = fill(client, market, market["comte"], market["wine"])  # comté 10 €, wine 22 €
        assert options_of(page, market["cheese"].partner)["local_delivery-2026-11-24"].fee == Decimal("2.50")
        assert options_of(page, market["wine_shop"].partner)["local_delivery-2026-11-24"].fee == Decimal("0.00")

    def test_a_shop_without_click_and_collect_does_not_offer_it(self, client, market):
        ShopDelivery.objects.create(partner=market["cheese"].partner, click_and_collect=False)
        page = fill(client, market, market["comte"])
        assert "click_collect" not in options_of(page, market["cheese"].partner)

    def test_a_shop_left_with_nothing_falls_back_to_click_and_collect(self, client, market, zone):
        zone.zone_postcodes = ""
        zone.save()
        ShopDelivery.objects.create(partner=market["cheese"].partner, click_and_collect=False)
        page = fill(client, market, market["comte"])
        assert list(options_of(page, market["cheese"].partner)) == ["click_collect"]


@pytest.mark.django_db
class TestBadInput:
    def post(self, client, market, choice, **address):
        page = fill(client, market, market["comte"])
        data = checkout_data(client, **{**ADDRESS, **address})
        data[field_of(page, market["cheese"].partner)] = choice
        response = client.post(reverse("checkout:index"), data)
        return response, response.content.decode()

    @pytest.mark.parametrize("postcode", ["2113", "211300", "ABCDE", "00100", "99000"])
    def test_a_malformed_postcode(self, client, market, postcode):
        response, html = self.post(client, market, "local_delivery-2026-11-24", delivery_postcode=postcode)
        assert response.status_code == 200
        assert "n&#x27;est pas un code postal français : il faut 5 chiffres" in html
        assert not Order.objects.exists() and not RoundDay.objects.exists()

    def test_an_address_outside_the_zone_gets_the_other_methods(self, client, market):
        response, html = self.post(client, market, "local_delivery-2026-11-24",
                                   delivery_postcode="75001", delivery_city="Paris")
        assert response.status_code == 200
        assert "Votre adresse (75001 Paris) est hors de la zone de livraison à domicile (21130, 21910)" in html
        options = options_of(response, market["cheese"].partner)
        assert options["click_collect"].available and not options["local_delivery-2026-11-24"].available
        assert not Order.objects.exists()
        # The customer takes the other method and the order goes through.
        response, _ = self.post(client, market, "click_collect", delivery_postcode="75001", delivery_city="Paris")
        assert response.status_code == 302 and Order.objects.count() == 1

    def test_checking_another_address_brings_the_rounds_back_without_judging_the_form(self, client, market):
        response, _ = self.post(client, market, "local_delivery-2026-11-24", delivery_postcode="75001",
                                delivery_city="Paris")
        assert not options_of(response, market["cheese"].partner)["local_delivery-2026-11-24"].available
        data = checkout_data(client, **ADDRESS, refresh="1", email="")
        response = client.post(reverse("checkout:index"), data)
        html = response.content.decode()
        assert response.status_code == 200 and not Order.objects.exists()
        assert options_of(response, market["cheese"].partner)["local_delivery-2026-11-24"].available
        assert "Indiquez votre adresse e-mail." not in html and 'value="12 rue des Tanneurs"' in html

    @pytest.mark.parametrize("forged", [
        "local_delivery-2026-11-17",   # in the past
        "local_delivery-2026-11-25",   # a Wednesday: no round
        "local_delivery-2026-12-25",   # Christmas
        "local_delivery-2026-13-45",   # not a date
        "postal",                      # the cheese shop does not ship by post
        "teleportation",
    ])
    def test_a_forged_choice(self, client, market, forged):
        response, html = self.post(client, market, forged)
        assert response.status_code == 200
        assert "Ce mode de retrait ou de livraison, ou cette date, n&#x27;est pas proposé par Fromagerie Test" in html
        assert not Order.objects.exists()

    def test_delivery_needs_an_address(self, client, market):
        response, html = self.post(client, market, "local_delivery-2026-11-24", delivery_line1="",
                                   delivery_postcode="", delivery_city="")
        assert "Indiquez le numéro et la rue où vous livrer." in html
        assert "Indiquez le code postal de l&#x27;adresse de livraison." in html
        assert not Order.objects.exists()

    def test_click_and_collect_needs_no_address(self, client, market):
        response, _ = self.post(client, market, "click_collect", delivery_line1="", delivery_postcode="nope")
        assert response.status_code == 302
        assert Order.objects.get().shipping_address is None

    def test_a_round_full_by_the_time_the_form_is_sent(self, client, market, zone):
        page = fill(client, market, market["comte"])
        data = checkout_data(client, **ADDRESS)
        data[field_of(page, market["cheese"].partner)] = "local_delivery-2026-11-24"
        RoundDay.objects.create(date=dt.date(2026, 11, 24), booked=zone.round_capacity)
        response = client.post(reverse("checkout:index"), data)
        assert response.status_code == 200
        assert "La tournée du mardi 24 novembre est complète." in response.content.decode()
        options = options_of(response, market["cheese"].partner)
        assert not options["local_delivery-2026-11-24"].available
        assert [code for code, o in options.items() if o.available and code != "click_collect"] == [
            "local_delivery-2026-11-27", "local_delivery-2026-12-01", "local_delivery-2026-12-04"]
        assert not Order.objects.exists()

    def test_a_round_filled_while_the_order_is_placed_refuses_it_and_keeps_the_basket(
            self, client, market, zone, monkeypatch):
        page = fill(client, market, market["comte"])
        data = checkout_data(client, **ADDRESS)
        data[field_of(page, market["cheese"].partner)] = "local_delivery-2026-11-24"
        # The last place goes to another checkout between reading the rounds and booking.
        RoundDay.objects.create(date=dt.date(2026, 11, 24), booked=zone.round_capacity)
        monkeypatch.setattr("plugins.local_delivery.checkout.full_days", lambda *args: set())
        response = client.post(reverse("checkout:index"), data)
        html = response.content.decode()
        assert response.status_code == 200
        assert "La tournée de livraison du mardi 24 novembre vient d&#x27;être complète" in html
        assert not Order.objects.exists() and not DeliveryStop.objects.exists()
        assert RoundDay.objects.get(date=dt.date(2026, 11, 24)).booked == zone.round_capacity
        assert client.get(reverse("basket:summary")).context["basket"].num_items == 1
        assert market["comte"].stockrecords.get().num_allocated == 0
