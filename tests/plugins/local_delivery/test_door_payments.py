"""Cash on delivery, recorded: each stop says what to collect from which shop, the
volunteer records « Payé » (espèces, chèque, carte) or « Pas payé » per shop part, and
the payment reaches the shop's order as an in-store payment does."""
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model
from pypdf import PdfReader

from plugins.local_delivery.models import DeliveryStop, DoorPayment
from plugins.payments.models import InStorePayment
from tests.plugins.local_delivery.test_rounds import TUESDAY, order_for_tuesday

ShopOrder = get_model("order", "ShopOrder")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
ANNE = {"first_name": "Anne", "last_name": "Roy", "delivery_line1": "2 rue Haute", "delivery_postcode": "21130"}


@pytest.fixture
def two_shops_stop(market):
    """Anne's order: two comtés (cheese shop) and a bottle (wine shop), paid at the door."""
    order = order_for_tuesday(market, ANNE, products=[market["comte"], market["comte"], market["wine"]])
    stop = DeliveryStop.objects.get(order=order)
    parts = {so.partner.name: so for so in order.shop_orders.select_related("partner")}
    return stop, parts


def record_url(stop, shop_order, day=TUESDAY):
    return reverse("local_delivery_record_payment", args=[day, stop.pk, shop_order.pk])


def euros(value):
    return f"{Decimal(value):.2f}".replace(".", ",") + "\u00a0€"


@pytest.mark.django_db
class TestWhatToCollect:
    def test_each_shop_and_the_door_total_are_shown(self, client, team, two_shops_stop):
        stop, parts = two_shops_stop
        cheese, wine = parts["Fromagerie Test"], parts["Cave Test"]
        assert cheese.amount_due > 0 and wine.amount_due > 0
        client.force_login(team["volunteer"])
        html = client.get(reverse("local_delivery_round", args=[TUESDAY])).content.decode()
        assert f"À encaisser : {euros(cheese.amount_due)}" in html
        assert f"À encaisser : {euros(wine.amount_due)}" in html
        assert f"Total à encaisser à cette porte : {euros(cheese.amount_due + wine.amount_due)}" in html

    def test_the_run_sheet_shows_the_same_amounts(self, client, team, two_shops_stop):
        stop, parts = two_shops_stop
        cheese, wine = parts["Fromagerie Test"], parts["Cave Test"]
        client.force_login(team["volunteer"])
        response = client.get(reverse("local_delivery_run_sheet", args=[TUESDAY]))
        text = " ".join(" ".join(page.extract_text().split())
                        for page in PdfReader(io.BytesIO(response.content)).pages)
        assert f"Fromagerie Test : {euros(cheese.amount_due)}".replace("\u00a0", " ") in text.replace("\u00a0", " ")
        assert f"Total : {euros(cheese.amount_due + wine.amount_due)}".replace("\u00a0", " ") in text.replace("\u00a0", " ")

    def test_an_order_paid_online_has_nothing_to_collect(self, client, team, two_shops_stop):
        stop, parts = two_shops_stop
        order = stop.order
        paid, _ = SourceType.objects.get_or_create(name="Carte bancaire en ligne (Stripe)")
        Source.objects.create(order=order, source_type=paid, currency="EUR", amount_allocated=order.total_incl_tax,
                              amount_debited=order.total_incl_tax, reference="pi_test")
        client.force_login(team["volunteer"])
        html = client.get(reverse("local_delivery_round", args=[TUESDAY])).content.decode()
        assert "Déjà payé en ligne" in html and f"Total à encaisser à cette porte : {euros(0)}" in html
        response = client.post(record_url(stop, parts["Cave Test"]),
                               {"outcome": "paye", "amount": "1,00", "means": "especes"}, follow=True)
        assert "rien à encaisser" in response.content.decode()
        assert not DoorPayment.objects.exists()

    def test_a_part_already_paid_by_gift_card_has_nothing_to_collect(self, client, team, two_shops_stop):
        stop, parts = two_shops_stop
        wine, cheese = parts["Cave Test"], parts["Fromagerie Test"]
        ShopOrder.objects.filter(pk=wine.pk).update(prepaid=wine.total)  # a gift card paid it all
        client.force_login(team["volunteer"])
        html = client.get(reverse("local_delivery_round", args=[TUESDAY])).content.decode()
        assert "Rien à encaisser : déjà réglé à la commande." in html
        assert f"Total à encaisser à cette porte : {euros(cheese.amount_due)}" in html
        response = client.post(record_url(stop, wine), {"outcome": "paye", "amount": "1,00", "means": "especes"},
                               follow=True)
        assert "rien à encaisser" in response.content.decode() and not DoorPayment.objects.exists()


@pytest.mark.django_db
class TestRecording:
    def test_paid_in_cash_reaches_the_shop_order(self, client, team, two_shops_stop):
        stop, parts = two_shops_stop
        wine = parts["Cave Test"]
        client.force_login(team["volunteer"])
        response = client.post(record_url(stop, wine),
                               {"outcome": "paye", "amount": f"{wine.amount_due}".replace(".", ","), "means": "cheque"},
                               follow=True)
        html = response.content.decode()
        assert f"Cave Test : {euros(wine.amount_due)} reçus (Chèque)." in html
        row = DoorPayment.objects.get(shop_order=wine)
        assert (row.outcome, row.amount, row.means, row.recorded_by, row.stop) == (
            DoorPayment.Outcome.PAID, wine.amount_due, "cheque", team["volunteer"], stop)
        in_store = InStorePayment.objects.get(shop_order=wine)
        assert (in_store.amount, in_store.means, in_store.recorded_by) == (wine.amount_due, "cheque", team["volunteer"])
        # The wine merchant's order page says it is paid; the round page too.
        assert "Payé : " in html
        staff = Client()
        staff.force_login(team["staff"])
        order_page = staff.get(reverse("backoffice_order", args=[wine.pk])).content.decode()
        assert "Payée en magasin" in order_page and "Chèque" in order_page
        assert not InStorePayment.objects.filter(shop_order=parts["Fromagerie Test"]).exists()

    def test_not_paid_is_recorded_and_can_be_paid_later(self, client, team, two_shops_stop):
        stop, parts = two_shops_stop
        cheese = parts["Fromagerie Test"]
        client.force_login(team["volunteer"])
        html = client.post(record_url(stop, cheese), {"outcome": "pas_paye"}, follow=True).content.decode()
        assert "Fromagerie Test : pas payé." in html
        assert DoorPayment.objects.get(shop_order=cheese).outcome == DoorPayment.Outcome.UNPAID
        assert not InStorePayment.objects.exists()
        client.post(record_url(stop, cheese), {"outcome": "paye", "amount": "5,00", "means": "especes"})
        assert DoorPayment.objects.get(shop_order=cheese).amount == Decimal("5.00")
        assert InStorePayment.objects.get(shop_order=cheese).amount == Decimal("5.00")

    def test_a_double_tap_records_once(self, client, team, two_shops_stop):
        stop, parts = two_shops_stop
        wine = parts["Cave Test"]
        client.force_login(team["volunteer"])
        data = {"outcome": "paye", "amount": "10,00", "means": "especes"}
        client.post(record_url(stop, wine), data)
        html = client.post(record_url(stop, wine), data, follow=True).content.decode()
        assert "déjà enregistré" in html
        assert DoorPayment.objects.count() == 1 and InStorePayment.objects.count() == 1
        assert InStorePayment.objects.get().amount == Decimal("10.00")

    def test_the_merchant_already_recorded_it(self, client, team, two_shops_stop):
        """The shop was paid at the counter first: the door payment is kept on the stop,
        the shop's own record stays as it was."""
        stop, parts = two_shops_stop
        wine = parts["Cave Test"]
        InStorePayment.objects.create(shop_order=wine, amount=Decimal("3.00"), means="carte")
        client.force_login(team["volunteer"])
        client.post(record_url(stop, wine), {"outcome": "paye", "amount": "4,00", "means": "especes"})
        assert DoorPayment.objects.get(shop_order=wine).amount == Decimal("4.00")
        assert InStorePayment.objects.get(shop_order=wine).amount == Decimal("3.00")


@pytest.mark.django_db
class TestBadInput:
    @pytest.mark.parametrize("data, message", [
        ({"outcome": "paye", "amount": "999,00", "means": "especes"}, "ne peut pas dépasser ce qui est dû"),
        ({"outcome": "paye", "amount": "-5,00", "means": "especes"}, "Le montant doit être supérieur à zéro."),
        ({"outcome": "paye", "amount": "0", "means": "especes"}, "Le montant doit être supérieur à zéro."),
        ({"outcome": "paye", "amount": "douze", "means": "especes"}, "Saisissez un montant en euros"),
        ({"outcome": "paye", "amount": "5,00", "means": "bitcoin"}, "Choisissez espèces, chèque ou carte."),
        ({"outcome": "paye", "amount": "5,00"}, "Choisissez espèces, chèque ou carte."),
        ({"outcome": "rembourse", "amount": "5,00", "means": "especes"}, "Choisissez « Payé » ou « Pas payé »."),
    ])
    def test_refused_with_a_french_message_and_nothing_saved(self, client, team, two_shops_stop, data, message):
        stop, parts = two_shops_stop
        client.force_login(team["volunteer"])
        response = client.post(record_url(stop, parts["Cave Test"]), data, follow=True)
        assert response.status_code == 200 and message in response.content.decode()
        assert not DoorPayment.objects.exists() and not InStorePayment.objects.exists()

    def test_another_day_another_stop_or_an_unknown_part_is_404(self, client, team, market, two_shops_stop):
        stop, parts = two_shops_stop
        other = order_for_tuesday(market, {"first_name": "Luc", "last_name": "Bas", "delivery_line1": "1 rue Basse",
                                           "delivery_postcode": "21130"})
        other_stop = DeliveryStop.objects.get(order=other)
        client.force_login(team["volunteer"])
        data = {"outcome": "paye", "amount": "1,00", "means": "especes"}
        wine = parts["Cave Test"]
        for url in [record_url(stop, wine, day=TUESDAY.replace(day=25)),     # the stop is on Tuesday
                    record_url(other_stop, wine),                             # not a parcel of that stop
                    reverse("local_delivery_record_payment", args=[TUESDAY, 999999, wine.pk]),
                    reverse("local_delivery_record_payment", args=[TUESDAY, stop.pk, 999999])]:
            assert client.post(url, data).status_code == 404
        assert not DoorPayment.objects.exists()

    def test_a_round_the_volunteer_may_not_see_is_404(self, client, team, two_shops_stop, frozen_clock):
        import datetime as dt
        stop, parts = two_shops_stop
        frozen_clock.set(dt.datetime(2026, 12, 20, 10, 0))  # weeks later: details hidden from volunteers
        client.force_login(team["volunteer"])
        response = client.post(record_url(stop, parts["Cave Test"]),
                               {"outcome": "paye", "amount": "1,00", "means": "especes"})
        assert response.status_code == 404 and not DoorPayment.objects.exists()

    def test_only_round_runners_may_record(self, client, team, two_shops_stop):
        stop, parts = two_shops_stop
        client.force_login(team["alice"])  # a merchant
        response = client.post(record_url(stop, parts["Cave Test"]),
                               {"outcome": "paye", "amount": "1,00", "means": "especes"})
        assert (response.status_code, response["Location"]) == (302, "/admin/")
        assert not DoorPayment.objects.exists()

    def test_get_is_not_allowed(self, client, team, two_shops_stop):
        stop, parts = two_shops_stop
        client.force_login(team["volunteer"])
        assert client.get(record_url(stop, parts["Cave Test"])).status_code == 405


@pytest.fixture
def without_payments_plugin():
    """As if plugins.payments were not installed: nobody receives payment_collected."""
    from plugins.payments.door import record_in_store_payment
    from townmarket.signals import payment_collected

    assert payment_collected.disconnect(record_in_store_payment)
    yield
    payment_collected.connect(record_in_store_payment)


@pytest.mark.django_db
def test_without_the_payments_plugin_the_collection_is_kept_on_the_stop(client, team, two_shops_stop,
                                                                        without_payments_plugin):
    stop, parts = two_shops_stop
    wine = parts["Cave Test"]
    client.force_login(team["volunteer"])
    html = client.post(record_url(stop, wine), {"outcome": "paye", "amount": "7,50", "means": "carte"},
                       follow=True).content.decode()
    assert "Cave Test : 7,50\u00a0€ reçus (Carte bancaire)." in html
    assert "Payé : 7,50\u00a0€ (Carte bancaire)" in html
    assert DoorPayment.objects.get(shop_order=wine).amount == Decimal("7.50")
    assert not InStorePayment.objects.exists()
