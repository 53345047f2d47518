"""Several towns on one install (issue 20): each town's volunteers run their own rounds.
Two towns delivering the same day each book their own round, within their own
capacity; a town's staff see, print and mark only their town's rounds."""
import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model
from pypdf import PdfReader

from backoffice import roles
from oscar_apps.order import workflow
from plugins.local_delivery.models import DeliverySettings, DeliveryStop, RoundDay
from tests import factories
from tests.integration.helpers import add_to_basket, checkout_data
from tests.plugins.towns import client_of, default_town, second_town, shop_in, town_staff
from townmarket.models import OutboxMessage

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
ShopOrder = get_model("order", "ShopOrder")
TUESDAY = dt.date(2026, 11, 24)
ROUND = "local_delivery-2026-11-24"


@pytest.fixture
def beaune(market):
    """A second town delivering on Tuesdays too, with room for one address per round."""
    site = second_town()
    rules = DeliverySettings.for_town(site=site)
    rules.zone_postcodes, rules.round_capacity = "21200", 1
    rules.save()
    shop = shop_in(site, "Primeur de Beaune", kind="Primeur")
    return {"site": site, "shop": shop, "apples": factories.product(shop, title="Pommes de Beaune", price="3.20")}


def order_in(site, product, last_name, postcode, day=ROUND):
    """A customer on the town's own address orders `product` for Tuesday's round."""
    client = client_of(site)
    add_to_basket(client, product)
    page = client.get(reverse("checkout:index"))
    data = checkout_data(client, first_name="Bea", last_name=last_name, email=f"{last_name.lower()}@example.org",
                         delivery_line1="4 rue de Lorraine", delivery_postcode=postcode, delivery_city="Ville")
    for group in page.context["shop_groups"]:
        data[group.field_name] = day
    return client.post(reverse("checkout:index"), data)


def order_in_beaune(beaune, last_name, day=ROUND):
    return order_in(beaune["site"], beaune["apples"], last_name, "21200", day)


def order_for_tuesday(market, last_name):
    """The test town's customer (on its own address: with two towns, another host is redirected)."""
    response = order_in(default_town(), market["comte"], last_name, "21130")
    assert response.status_code == 302, response.content.decode()[:3000]


def customer(last_name):
    return last_name


@pytest.fixture
def client():
    """The back office on the test town's address."""
    return client_of(default_town())


def test_two_towns_delivering_the_same_day_each_book_their_own_round(market, beaune):
    DeliverySettings.objects.filter(pk=DeliverySettings.for_town().pk).update(round_capacity=1)
    order_for_tuesday(market, customer("Valois"))  # the test town's only place on Tuesday

    response = order_in_beaune(beaune, "Bourgogne")  # Beaune's round has its own place

    assert response.status_code == 302, response.content.decode()[:3000]
    default = market["cheese"].partner.town
    assert RoundDay.objects.get(town=default, date=TUESDAY).booked == 1
    assert RoundDay.objects.get(town=beaune["site"], date=TUESDAY).booked == 1
    # Beaune's capacity is Beaune's: its second customer finds Tuesday full, not the test town's rule of 1.
    refused = order_in_beaune(beaune, "Second")
    assert refused.status_code == 200 and "mardi 24 novembre" in refused.content.decode()
    assert RoundDay.objects.get(town=beaune["site"], date=TUESDAY).booked == 1


def test_a_cancelled_parcel_frees_its_place_in_its_own_towns_round(market, beaune, django_capture_on_commit_callbacks):
    order_for_tuesday(market, customer("Valois"))
    assert order_in_beaune(beaune, "Bourgogne").status_code == 302
    beaune_order = Order.objects.order_by("-pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.change_status(beaune_order.shop_orders.get(), ShopOrder.Status.CANCELLED)
    assert RoundDay.objects.get(town=beaune["site"], date=TUESDAY).booked == 0
    assert RoundDay.objects.get(town=market["cheese"].partner.town, date=TUESDAY).booked == 1


@pytest.fixture
def both_rounds(market, beaune, team):
    order_for_tuesday(market, customer("Valois"))
    assert order_in_beaune(beaune, "Bourgogne").status_code == 302
    return {"default": DeliveryStop.objects.get(order__customer_name__contains="Valois"),
            "beaune": DeliveryStop.objects.get(order__customer_name__contains="Bourgogne")}


def pdf_text(response):
    return " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())


def test_a_towns_staff_see_and_print_only_their_towns_round(client, team, beaune, both_rounds):
    client.force_login(team["staff"])  # the test town's association
    html = client.get(reverse("local_delivery_round", args=[TUESDAY])).content.decode()
    assert "Valois" in html and "Bourgogne" not in html and "1 adresse" in html
    sheet = pdf_text(client.get(reverse("local_delivery_run_sheet", args=[TUESDAY])))
    assert "Valois" in sheet and "Bourgogne" not in sheet

    beaune_staff = town_staff(beaune["site"], roles.ASSOCIATION, "berthe")
    client.force_login(beaune_staff)
    html = client.get(reverse("local_delivery_round", args=[TUESDAY])).content.decode()
    assert "Bourgogne" in html and "Valois" not in html
    sheet = pdf_text(client.get(reverse("local_delivery_run_sheet", args=[TUESDAY])))
    assert "Bourgogne" in sheet and "Valois" not in sheet and "Le marché de Beaune-Test" in sheet


def test_a_towns_staff_cannot_open_or_mark_another_towns_round(client, team, market, beaune, both_rounds):
    default_town = market["cheese"].partner.town
    other = {"ville": beaune["site"].pk}
    for user in (team["staff"], team["volunteer"]):
        client.force_login(user)
        assert client.get(reverse("local_delivery_round", args=[TUESDAY]), other).status_code == 404
        assert client.get(reverse("local_delivery_run_sheet", args=[TUESDAY]), other).status_code == 404
        stop = both_rounds["beaune"]
        assert client.post(reverse("local_delivery_mark_stop", args=[stop.pk]), {"status": "livre"}).status_code == 404
        part = stop.parcels.get()
        paid = client.post(reverse("local_delivery_record_payment", args=[TUESDAY, stop.pk, part.pk]),
                           {"outcome": "paye", "amount": "3,20", "means": "especes"})
        assert paid.status_code == 404
        index = client.get(reverse("local_delivery_rounds")).content.decode()
        assert "Beaune" not in index
    assert DeliveryStop.objects.get(pk=both_rounds["beaune"].pk).status == DeliveryStop.Status.PENDING
    assert not hasattr(both_rounds["beaune"].parcels.get(), "door_payment")
    client.force_login(town_staff(beaune["site"], roles.ASSOCIATION, "berthe"))
    assert client.get(reverse("local_delivery_round", args=[TUESDAY]),
                      {"ville": default_town.pk}).status_code == 404


@pytest.mark.parametrize("ville", ["abc", "999999", ""])
def test_a_wrong_town_in_the_address_is_404_or_ignored(client, team, both_rounds, ville):
    client.force_login(team["staff"])
    response = client.get(reverse("local_delivery_round", args=[TUESDAY]), {"ville": ville})
    assert response.status_code == (200 if ville == "" else 404)


def test_the_platform_administrator_sees_every_towns_rounds(client, beaune, both_rounds):  # on the test town's address
    admin = get_user_model().objects.create_superuser("plateforme", "plateforme@example.org", "pw-admin-2026")
    client.force_login(admin)
    index = client.get(reverse("local_delivery_rounds")).content.decode()
    assert "Le marché de Beaune-Test" in index and "Le marché de Val-sur-Ouche" in index
    html = client.get(reverse("local_delivery_round", args=[TUESDAY]), {"ville": beaune["site"].pk}).content.decode()
    assert "Bourgogne" in html and "Valois" not in html


@pytest.mark.parametrize("status", ["livre", "absent"])
def test_a_towns_customer_is_mailed_about_their_stop_by_their_town(settings, beaune, both_rounds, status,
                                                                    django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "townmarket.outbox.OutboxBackend"
    mail.outbox.clear()
    volunteer = client_of(beaune["site"])
    volunteer.force_login(town_staff(beaune["site"], roles.VOLUNTEERS, "basile"))
    with django_capture_on_commit_callbacks(execute=True):
        response = volunteer.post(reverse("local_delivery_mark_stop", args=[both_rounds["beaune"].pk]),
                                  {"status": status})
    assert response.status_code == 302
    [sent] = [message for message in mail.outbox if message.to == ["bourgogne@example.org"]]
    assert "Le marché de Beaune-Test" in sent.from_email and "Val-sur-Ouche" not in sent.from_email
    # filed under Beaune: its association's « E-mails non envoyés » if it fails
    assert OutboxMessage.objects.get(recipients="bourgogne@example.org", subject=sent.subject).town == beaune["site"]


def test_the_rounds_town_selector_starts_on_the_town_a_round_page_shows(client, market, beaune, both_rounds):
    """The platform administrator on the test town's address: « Voir la tournée » without
    touching the « Ville » select opens that town's round, not the first town by name."""
    from bs4 import BeautifulSoup

    admin = get_user_model().objects.create_superuser("plateforme", "plateforme@example.org", "pw-admin-2026")
    client.force_login(admin)
    index = BeautifulSoup(client.get(reverse("local_delivery_rounds")).content, "html.parser")
    chosen = index.select('select[name="ville"] option[selected]')
    here = market["cheese"].partner.town
    assert [option["value"] for option in chosen] == [str(here.pk)]
    html = client.get(reverse("local_delivery_round", args=[TUESDAY])).content.decode()
    assert "Valois" in html and "Bourgogne" not in html
    html = client.get(reverse("local_delivery_rounds"), {"date": TUESDAY.isoformat(), "ville": chosen[0]["value"]},
                      follow=True).content.decode()
    assert "Valois" in html and "Bourgogne" not in html
