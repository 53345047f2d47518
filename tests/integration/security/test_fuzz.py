"""Hostile values in every public query parameter and form field (and the staff
report filters): whatever is typed or forged, the answer is never a server error."""
import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

HOSTILE = [
    "\x00", "x" * 10_000, "'\"><script>alert(1)</script>", "' OR 1=1 --", "%", "\u202eevil\u202c 🧀",
    "-99999999999999999999", "99999999999999999999999999", "NaN", "9999-12-31", "0001-01-01",
    "../../etc/passwd", "", "[" * 5000,
]


def hostile_client(user=None):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def server_errors(client, method, url, fields, base=None):
    """The hostile values answered with a 500, each sent in every field at once (each
    field is parsed on its own, so one request tries the value everywhere), the
    others given as `base`."""
    failures = []
    for value in HOSTILE:
        response = getattr(client, method)(url, {**(base or {}), **dict.fromkeys(fields, value)})
        if response.status_code >= 500:
            failures.append((value[:30], response.status_code))
    return failures


PUBLIC_QUERIES = [
    ("/commerces/", ["type", "page"]),
    ("/commerces/fromagerie-test/", ["page"]),
    ("/actualites/", ["page"]),
    ("/boutique/catalogue/", ["q", "boutique", "prix_min", "prix_max", "tri", "page"]),
    ("/boutique/search/", ["q", "page", "sort_by"]),
    ("/cartes-cadeaux/solde/", ["code"]),
    ("/", ["q", "page"]),
]


def test_public_query_parameters(town):
    client = hostile_client()
    assert [(url, failure) for url, fields in PUBLIC_QUERIES for failure in server_errors(client, "get", url, fields)] == []


def test_category_page_query_parameters(town):
    from oscar.core.loading import get_model

    category = get_model("catalogue", "Category").objects.get(name="Fromages")
    url = category.get_absolute_url()
    assert server_errors(hostile_client(), "get", url, ["q", "boutique", "prix_min", "prix_max", "tri", "page"]) == []


@pytest.mark.parametrize("path", ["/commerces/{}/", "/boutique/catalogue/{}_1/", "/paiement/commande/{}/",
                                  "/inscrire-mon-commerce/invitation/{}/", "/actualites/{}/"])
def test_path_parameters(town, path):
    from urllib.parse import quote

    client = hostile_client()
    failures = [(value[:30], response.status_code) for value in HOSTILE if value.strip() and "/" not in value
                for response in [client.get(path.format(quote(value, safe="")))] if response.status_code >= 500]
    assert failures == []


APPLICATION = {"shop_name": "Chez Léa", "siret": "73282932000074", "street": "1 rue Haute", "postcode": "21130",
               "city": "Val-sur-Ouche", "contact_name": "Léa", "phone": "03 80 12 34 56", "email": "lea@example.org",
               "message": "Bonjour"}


def test_shop_application_form(town):
    fields = [*APPLICATION, "kind", "website"]
    assert server_errors(hostile_client(), "post", "/inscrire-mon-commerce/", fields, APPLICATION) == []


def test_gift_card_balance_form(town):
    assert server_errors(hostile_client(), "post", "/cartes-cadeaux/solde/", ["code"]) == []


def test_basket_add_and_update(town):
    client = hostile_client()
    add = reverse("basket:add", args=[town["comte"].pk])
    assert server_errors(client, "post", add, ["quantity"]) == []
    client.post(add, {"quantity": 1})
    line = client.get(reverse("basket:summary")).context["basket"].all_lines()[0]
    management = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "0",
                  "form-MAX_NUM_FORMS": "1000", "form-0-id": str(line.pk), "form-0-quantity": "1"}
    assert server_errors(client, "post", reverse("basket:summary"), ["form-0-quantity", "line_quantity", "remove_line"], management) == []
    assert server_errors(client, "post", reverse("basket:summary"), list(management), management) == []


def test_checkout_form(town):
    from tests.integration.helpers import checkout_data

    client = hostile_client()
    client.post(reverse("basket:add", args=[town["comte"].pk]), {"quantity": 1})
    data = checkout_data(client)
    fields = [name for name in data if name != "payment_method"] + ["payment_method", "delivery_postcode", "delivery_city"]
    # Every field but one stays valid, so no order is placed by a hostile value that passes.
    assert server_errors(client, "post", reverse("checkout:index"), fields, {**data, "first_name": ""}) == []


def test_accounts_forms(town):
    client = hostile_client()
    login = reverse("customer:login")
    assert server_errors(client, "post", login, ["login-username", "login-password", "login-redirect_url"],
                         {"login_submit": "1", "login-username": "a@example.org", "login-password": "x"}) == []
    assert server_errors(client, "post", login, ["registration-email", "registration-password1", "registration-redirect_url"],
                         {"registration_submit": "1"}) == []
    assert server_errors(client, "post", reverse("password-reset"), ["email"]) == []
    assert server_errors(client, "post", reverse("wagtailadmin_login"), ["username", "password", "next"],
                         {"username": "lea", "password": "x"}) == []


def test_customer_order_history_filters(town):
    from django.contrib.auth import get_user_model

    customer = get_user_model().objects.create_user("client", "client@example.org", "pw-client-2026")
    client = hostile_client(customer)
    assert [(field, failure) for field in ["date_from", "date_to", "order_number", "page"]
            for failure in server_errors(client, "get", reverse("customer:order-list"), [field])] == []


STAFF_QUERIES = [
    ("payments_settlement", ["du", "au", "boutique"]),
    ("payments_settlement_export", ["du", "au", "boutique"]),
    ("gift_cards_report", ["du", "au"]),
    ("gift_cards_report_export", ["du", "au"]),
    ("gift_cards_card", ["code"]),
    ("backoffice_sales", ["boutique", "periode", "du", "au"]),
    ("backoffice_sales_report", ["periode", "du", "au", "format"]),
    ("backoffice_orders", ["boutique", "statut", "q", "p"]),
    ("backoffice_orders_export", ["boutique", "statut", "q", "periode", "du", "au", "donnees_personnelles"]),
    ("backoffice_products", ["boutique", "q", "categorie", "dispo", "p"]),
    ("backoffice_applications", ["statut", "p"]),
    ("local_delivery_rounds", ["date", "shop"]),
]


def test_staff_report_and_list_filters(team):
    client = hostile_client(team["staff"])
    assert [(name, failure) for name, fields in STAFF_QUERIES
            for failure in server_errors(client, "get", reverse(name), fields)] == []


def test_gift_card_purchase_and_spending_forms(town):
    from decimal import Decimal

    from plugins.gift_cards.demo import create_offer
    from plugins.gift_cards.models import Kind
    from tests.plugins.gift_cards.conftest import card_form

    offer = create_offer(town["cheese"].partner, "Carte cadeau Fromagerie Test", "<p>Carte</p>", Decimal("20.00"),
                         kind=Kind.SHOP, preset_amounts="20 50", min_amount=Decimal("10"), max_amount=Decimal("150"))
    client = hostile_client()
    base = card_form(amount_choice="autre", other_amount="30")
    assert client.post(reverse("gift_cards_add", args=[offer.pk]), base).status_code == 302  # the form as sent works
    assert server_errors(client, "post", reverse("gift_cards_add", args=[offer.pk]), list(base), base) == []
    client.post(reverse("basket:add", args=[town["comte"].pk]), {"quantity": 1})
    assert server_errors(client, "post", reverse("gift_cards_apply"), ["code"]) == []
    assert server_errors(client, "post", reverse("gift_cards_remove"), ["code", "carte"]) == []
