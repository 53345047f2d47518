"""Requests an attacker can forge that used to end in a server error (500): a NUL
byte in a URL, a forged basket formset, far-future report dates, a description
nested 5,000 deep. Each must get a French message, a 400 or a 404."""
import io

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image as PillowImage

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", [
    "/commerces/?type=%00",
    "/commerces/?page=%00",
    "/paiement/commande/%00/",
    "/paiement/commande/%00/abandon/",
    "/commerces/%00/",
    "/boutique/catalogue/?q=%00",
    "/boutique/catalogue/?boutique=%00&tri=%00",
    "/cartes-cadeaux/solde/?code=%00",
    "/%00",
])
def test_a_nul_byte_in_the_url_is_a_french_bad_request(anonymous, town, url):
    response = anonymous.get(url)
    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()


def test_a_nul_byte_in_a_posted_form_is_refused_without_a_server_error(anonymous, town):
    response = anonymous.post("/inscrire-mon-commerce/", {"shop_name": "Chez\x00moi", "email": "a\x00@b.fr"})
    assert response.status_code in (200, 400)


@pytest.fixture
def basket_with_a_line(anonymous, town):
    product = town["comte"]
    anonymous.post(reverse("basket:add", args=[product.pk]), {"quantity": 1})
    return anonymous


@pytest.mark.parametrize("management", [
    {"form-TOTAL_FORMS": "1000000", "form-INITIAL_FORMS": "1000000"},
    {"form-TOTAL_FORMS": "1000000", "form-INITIAL_FORMS": "0"},
    {"form-TOTAL_FORMS": "abc", "form-INITIAL_FORMS": "-3"},
    {},
    {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": "999999", "form-0-quantity": "2"},
    {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": "abc", "form-0-quantity": "-1"},
    {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": "1", "form-0-quantity": "99999999999999999999"},
])
def test_a_forged_basket_formset_is_no_server_error(basket_with_a_line, management):
    response = basket_with_a_line.post(reverse("basket:summary"), management)
    assert response.status_code < 500


def test_a_basket_form_without_its_management_form_asks_to_check_the_basket(basket_with_a_line, town):
    response = basket_with_a_line.post(reverse("basket:summary"), {"form-0-quantity": "0"}, follow=True)
    assert response.status_code == 200
    assert "Votre panier a changé entre-temps" in response.content.decode()
    assert response.context["basket"].num_items == 1


def test_the_basket_formset_cannot_touch_another_basket_s_line(basket_with_a_line, town):
    other = Client(raise_request_exception=False)
    other.post(reverse("basket:add", args=[town["novel"].pk]), {"quantity": 1})
    from oscar.core.loading import get_model

    Line = get_model("basket", "Line")
    their_line = Line.objects.get(product=town["novel"])
    response = basket_with_a_line.post(reverse("basket:summary"), {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": str(their_line.pk), "form-0-quantity": "0"})
    assert response.status_code < 500
    assert Line.objects.filter(pk=their_line.pk, quantity=1).exists()


@pytest.fixture
def staff(client, team):
    client.raise_request_exception = False
    client.force_login(team["staff"])
    return client


REPORTS = ["payments_settlement", "payments_settlement_export", "gift_cards_report", "gift_cards_report_export"]


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("period", [
    {"du": "9999-12-31", "au": "9999-12-31"},
    {"du": "0001-01-01", "au": "0001-01-01"},
    {"du": "1900-01-01", "au": "1900-02-01"},
])
def test_report_dates_out_of_range_are_refused_in_french(staff, name, period):
    response = staff.get(reverse(name), period)
    assert response.status_code == 200
    if not name.endswith("_export"):
        assert "Choisissez une date entre 2000 et" in response.content.decode()


def test_a_description_nested_5000_deep_is_refused_in_french(client, team, town):
    client.raise_request_exception = False
    client.force_login(team["alice"])
    factories.category("Fromages")
    url = reverse("backoffice_product_edit", args=[town["comte"].pk])
    form = client.get(url).context["form"]
    data = {key: value for key, value in form.initial.items() if value is not None and key != "description"}
    data.update(shop=town["cheese"].partner.pk, category=form.initial["category"].pk, price="12,40",
                description="[" * 5000)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "La description n&#x27;a pas pu être lue" in response.content.decode()
    town["comte"].refresh_from_db()
    assert town["comte"].description == "<p>Description de Comté 18 mois</p>"


def small_png():
    output = io.BytesIO()
    PillowImage.new("RGB", (8, 8), "orange").save(output, "PNG")
    output.seek(0)
    output.name = "vitrine.png"
    return output


def test_a_merchant_uploads_an_image_and_searches_the_admin(client, team):
    from wagtail.images.models import Image

    client.force_login(team["alice"])
    response = client.post(reverse("wagtailimages:add"), {"title": "Vitrine", "file": small_png()})
    assert response.status_code in (200, 302)
    assert Image.objects.filter(title="Vitrine").exists()
    assert client.get("/admin/pages/search/?q=x").status_code == 200



def test_a_vitrine_paragraph_nested_5000_deep_is_no_server_error(client, team, town):
    client.raise_request_exception = False
    client.force_login(team["alice"])
    page = town["cheese"]
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.post(url, {"title": page.title, "slug": page.slug, "body-count": "1", "body-0-type": "paragraph",
                                 "body-0-deleted": "", "body-0-order": "0", "body-0-id": "", "body-0-value": "[" * 5000,
                                 "services-count": "0", "opening_hours-TOTAL_FORMS": "0",
                                 "opening_hours-INITIAL_FORMS": "0", "opening_hours-MIN_NUM_FORMS": "0",
                                 "opening_hours-MAX_NUM_FORMS": "1000"})
    assert response.status_code == 400 and "Requête invalide" in response.content.decode()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2026-02-30"])
def test_a_round_far_in_time_is_no_server_error(staff, day):
    response = staff.get(f"/admin/livraison/tournees/{day}/")
    assert response.status_code in (200, 404)
    assert staff.get(f"/admin/livraison/tournees/{day}/feuille-de-route.pdf").status_code < 500


def test_a_nul_byte_in_a_cookie_is_a_french_bad_request(anonymous, town):
    anonymous.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    response = anonymous.get("/")
    assert response.status_code == 400 and "Requête invalide" in response.content.decode()
