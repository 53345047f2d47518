"""The volunteers' round for a day: stops in driving order, marks that e-mail the
customer, the printable run sheet, and places freed by cancellations."""
import datetime as dt
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model
from pypdf import PdfReader

from oscar_apps.order import workflow
from plugins.local_delivery.models import DeliveryStop, RoundDay
from tests.integration.helpers import add_to_basket, checkout_data

Order = get_model("order", "Order")
ShopOrder = get_model("order", "ShopOrder")
TUESDAY = dt.date(2026, 11, 24)

CUSTOMERS = [  # placed in this order, expected on the round in the order of the `rank`
    {"rank": 3, "first_name": "Zoé", "last_name": "Martin", "delivery_line1": "5 rue Zola", "delivery_postcode": "21130"},
    {"rank": 4, "first_name": "Yves", "last_name": "Petit", "delivery_line1": "1 place du Marché", "delivery_postcode": "21910"},
    {"rank": 2, "first_name": "Xavier", "last_name": "Roux", "delivery_line1": "12 rue des Tanneurs", "delivery_postcode": "21130"},
    {"rank": 1, "first_name": "Wanda", "last_name": "Simon", "delivery_line1": "3 bis, rue des Tanneurs", "delivery_postcode": "21130"},
]


def order_for_tuesday(market, customer, products=None):
    client = Client()
    products = products or [market["comte"]]
    for product in products:
        add_to_basket(client, product)
    page = client.get(reverse("checkout:index"))
    data = checkout_data(client, first_name=customer["first_name"], last_name=customer["last_name"],
                         email=f"{customer['last_name'].lower()}@example.org", delivery_city="Val-sur-Ouche",
                         delivery_line1=customer["delivery_line1"], delivery_postcode=customer["delivery_postcode"],
                         delivery_notes=customer.get("notes", ""))
    for group in page.context["shop_groups"]:
        data[group.field_name] = "local_delivery-2026-11-24"
    response = client.post(reverse("checkout:index"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Order.objects.order_by("-pk").first()


@pytest.fixture
def tuesday(market):
    return [order_for_tuesday(market, customer) for customer in CUSTOMERS]


def names_in_order(html, names):
    positions = [html.index(name) for name in names]
    return positions == sorted(positions)


@pytest.mark.django_db
class TestRoundPage:
    def test_the_volunteer_sees_the_stops_in_postcode_and_street_order(self, client, team, tuesday):
        client.force_login(team["volunteer"])
        assert reverse("local_delivery_rounds") in client.get("/admin/").content.decode()  # the menu entry
        index = client.get(reverse("local_delivery_rounds")).content.decode()
        assert "mardi 24 novembre" in index.lower()
        html = client.get(reverse("local_delivery_round", args=[TUESDAY])).content.decode()
        expected = [c["first_name"] for c in sorted(CUSTOMERS, key=lambda c: c["rank"])]
        assert names_in_order(html, [f"{name} " for name in expected])
        assert "4 adresses" in html and "Fromagerie Test" in html and "pas encore prêt" in html
        assert "tel:+33612345678" in html

    def test_a_stop_lists_every_shop_to_collect_from(self, client, team, market):
        order_for_tuesday(market, {"first_name": "Anne", "last_name": "Roy", "delivery_line1": "2 rue Haute",
                                   "delivery_postcode": "21130", "notes": "Digicode 1234"},
                          products=[market["comte"], market["comte"], market["wine"]])
        client.force_login(team["staff"])
        html = client.get(reverse("local_delivery_round", args=[TUESDAY])).content.decode()
        assert "2 colis à collecter" in html and "Cave Test" in html and "Digicode 1234" in html
        assert "2 articles" in html  # two comtés from the cheese shop

    def test_merchants_do_not_see_the_rounds(self, client, team, tuesday):
        """Wagtail answers a refused admin page with its dashboard and a message."""
        client.force_login(team["alice"])
        stop = DeliveryStop.objects.first()
        for response in [client.get(reverse("local_delivery_round", args=[TUESDAY])),
                         client.get(reverse("local_delivery_run_sheet", args=[TUESDAY])),
                         client.post(reverse("local_delivery_mark_stop", args=[stop.pk]), {"status": "livre"})]:
            assert (response.status_code, response["Location"]) == (302, "/admin/")
        assert reverse("local_delivery_rounds") not in client.get("/admin/").content.decode()
        assert DeliveryStop.objects.get(pk=stop.pk).status == DeliveryStop.Status.PENDING

    def test_an_empty_day_says_so(self, client, team, market):
        client.force_login(team["volunteer"])
        assert "Aucune livraison ce jour-là." in client.get(
            reverse("local_delivery_round", args=[dt.date(2026, 11, 27)])).content.decode()
        assert "Aucune livraison à domicile n'est prévue" in client.get(
            reverse("local_delivery_rounds")).content.decode()

    @pytest.mark.parametrize("url", ["/admin/livraison/tournees/2026-02-30/", "/admin/livraison/tournees/26-11-2026/",
                                     "/admin/livraison/tournees/2026-11-24/feuille-de-route.pdf?x=%00"])
    def test_impossible_dates_are_404(self, client, team, frozen_clock, url):  # the clock: a round volunteers may open
        client.force_login(team["volunteer"])
        status = client.get(url).status_code
        assert status == (400 if url.endswith("%00") else 404)  # a NUL anywhere: 400 (townmarket.nul_bytes)

    @pytest.mark.parametrize("value, message", [("30/02/2026", "Saisissez une date valide"), ("demain", "Saisissez une date valide")])
    def test_the_date_picker_rejects_bad_dates(self, client, team, value, message):
        client.force_login(team["volunteer"])
        response = client.get(reverse("local_delivery_rounds"), {"date": value})
        assert response.status_code == 200 and message in response.content.decode()

    def test_the_date_picker_opens_the_round(self, client, team):
        client.force_login(team["volunteer"])
        response = client.get(reverse("local_delivery_rounds"), {"date": "2026-11-24"})
        assert response.status_code == 302 and response["Location"].endswith("/tournees/2026-11-24/")


@pytest.mark.django_db
class TestMarks:
    def test_delivered_moves_ready_parcels_and_emails_the_customer(self, client, team, tuesday,
                                                                  django_capture_on_commit_callbacks):
        order = tuesday[0]
        shop_order = order.shop_orders.get()
        with django_capture_on_commit_callbacks(execute=True):
            workflow.change_status(shop_order, ShopOrder.Status.PREPARING)
            workflow.change_status(shop_order, ShopOrder.Status.READY)
        mail.outbox.clear()
        stop = DeliveryStop.objects.get(order=order)
        client.force_login(team["volunteer"])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("local_delivery_mark_stop", args=[stop.pk]), {"status": "livre"},
                                   follow=True)
        assert "Zoé Martin : livré. Le client est prévenu par e-mail." in response.content.decode()
        stop.refresh_from_db()
        assert (stop.status, stop.marked_by) == (DeliveryStop.Status.DELIVERED, team["volunteer"])
        assert ShopOrder.objects.get(pk=shop_order.pk).status == ShopOrder.Status.DELIVERED
        assert [m.subject for m in mail.outbox] == [f"Commande {order.number} : vos achats sont livrés"]
        assert mail.outbox[0].to == ["martin@example.org"] and "Fromagerie Test" in mail.outbox[0].body

    def test_delivered_warns_about_parcels_not_marked_ready(self, client, team, tuesday):
        stop = DeliveryStop.objects.get(order=tuesday[0])
        client.force_login(team["volunteer"])
        html = client.post(reverse("local_delivery_mark_stop", args=[stop.pk]), {"status": "livre"},
                           follow=True).content.decode()
        assert "Le colis de Fromagerie Test n&#x27;était pas marqué « prête »" in html
        assert tuesday[0].shop_orders.get().status == ShopOrder.Status.NEW

    def test_absent_emails_the_customer_and_can_become_delivered_later(self, client, team, tuesday,
                                                                      django_capture_on_commit_callbacks):
        stop = DeliveryStop.objects.get(order=tuesday[1])
        mail.outbox.clear()
        client.force_login(team["volunteer"])
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("local_delivery_mark_stop", args=[stop.pk]), {"status": "absent"})
        assert mail.outbox[-1].subject == f"Commande {tuesday[1].number} : nous sommes passés en votre absence"
        html = client.post(reverse("local_delivery_mark_stop", args=[stop.pk]), {"status": "absent"},
                           follow=True).content.decode()
        assert "Cet arrêt est déjà marqué « Absent »." in html
        client.post(reverse("local_delivery_mark_stop", args=[stop.pk]), {"status": "livre"})
        assert DeliveryStop.objects.get(pk=stop.pk).status == DeliveryStop.Status.DELIVERED

    @pytest.mark.parametrize("status", ["", "perdu", "livree"])
    def test_an_unknown_mark_changes_nothing(self, client, team, tuesday, status):
        stop = DeliveryStop.objects.get(order=tuesday[0])
        client.force_login(team["volunteer"])
        html = client.post(reverse("local_delivery_mark_stop", args=[stop.pk]), {"status": status},
                           follow=True).content.decode()
        assert "Choisissez « Livré » ou « Absent »." in html
        assert DeliveryStop.objects.get(pk=stop.pk).status == DeliveryStop.Status.PENDING

    def test_an_unknown_stop_is_404(self, client, team):
        client.force_login(team["volunteer"])
        assert client.post(reverse("local_delivery_mark_stop", args=[999999]), {"status": "livre"}).status_code == 404


@pytest.mark.django_db
def test_the_run_sheet_pdf_lists_the_stops_in_order(client, team, tuesday):
    client.force_login(team["volunteer"])
    response = client.get(reverse("local_delivery_run_sheet", args=[TUESDAY]))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())  # table cells wrap their lines
    assert "Tournée du mardi 24 novembre" in text
    assert "4 adresse(s), 4 colis à collecter." in text
    expected = [c["last_name"] for c in sorted(CUSTOMERS, key=lambda c: c["rank"])]
    assert names_in_order(text, expected)
    assert "3 bis, rue des Tanneurs" in text and "21910 Val-sur-Ouche" in text
    assert "Fromagerie Test (1 rue du Test)" in text and "06 12 34 56 78" in text


@pytest.mark.django_db
def test_cancelling_the_last_parcel_frees_the_place(tuesday, django_capture_on_commit_callbacks):
    shop_order = tuesday[0].shop_orders.get()
    assert RoundDay.objects.get(date=TUESDAY).booked == 4
    with django_capture_on_commit_callbacks(execute=True):
        workflow.change_status(shop_order, ShopOrder.Status.CANCELLED)
    assert RoundDay.objects.get(date=TUESDAY).booked == 3
    assert not DeliveryStop.objects.filter(order=tuesday[0]).exists()


@pytest.mark.django_db
def test_cancelling_one_of_two_parcels_keeps_the_stop(market, django_capture_on_commit_callbacks):
    order = order_for_tuesday(market, {"first_name": "Anne", "last_name": "Roy", "delivery_line1": "2 rue Haute",
                                       "delivery_postcode": "21130"}, products=[market["comte"], market["wine"]])
    cheese_part = order.shop_orders.get(partner=market["cheese"].partner)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.change_status(cheese_part, ShopOrder.Status.CANCELLED)
    stop = DeliveryStop.objects.get(order=order)
    assert RoundDay.objects.get(date=TUESDAY).booked == 1
    assert stop.parcels.exclude(status=ShopOrder.Status.CANCELLED).count() == 1


@pytest.mark.django_db
def test_the_round_page_and_run_sheet_make_as_many_queries_for_5_stops_as_for_2(client, team, market):
    client.force_login(team["volunteer"])
    url, sheet = reverse("local_delivery_round", args=[TUESDAY]), reverse("local_delivery_run_sheet", args=[TUESDAY])

    def count(path):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    for customer in CUSTOMERS[:2]:
        order_for_tuesday(market, customer, products=[market["comte"], market["wine"]])
    few = count(url), count(sheet)
    for customer in CUSTOMERS[2:] + [{**CUSTOMERS[0], "last_name": "Bis"}]:
        order_for_tuesday(market, customer, products=[market["comte"], market["wine"]])
    assert DeliveryStop.objects.count() == 5
    assert (count(url), count(sheet)) == few
