"""Sales over any period and the association's report for partners (issue 17, item 5):
customer orders and shops' parts counted apart, per shop and kind of shop, customers and
returning customers, the plugins' figures, CSV and XLSX without anyone's personal data;
the orders CSV over a period, personal data only when asked for."""
import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model
from openpyxl import load_workbook

from tests import factories
from tests.integration.helpers import place_order

pytestmark = pytest.mark.django_db
ShopOrder = get_model("order", "ShopOrder")
Order = get_model("order", "Order")
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
OCTOBER = {"periode": "mois", "du": "2026-10-14"}

PEOPLE = {
    "helene": {"first_name": "Hélène", "last_name": "Jourdan", "email": "helene@example.org", "phone": "06 12 34 56 78"},
    "marc": {"first_name": "Marcellin", "last_name": "Vasseur", "email": "marc.vasseur@example.org",
             "phone": "06 98 76 54 32"},
    "zoe": {"first_name": "Zoé", "last_name": "Quintard", "email": "zoe.q@example.org", "phone": "07 61 22 33 44"},
}


def placed_at(order, moment, cancelled_partner=None):
    ShopOrder.objects.filter(order=order).update(date_created=moment)
    Order.objects.filter(pk=order.pk).update(date_placed=moment)
    if cancelled_partner:
        ShopOrder.objects.filter(order=order, partner=cancelled_partner).update(status=ShopOrder.Status.CANCELLED)


@pytest.fixture
def month(town, team):
    """October 2026, worked out by hand:
    A 05/10 Hélène: comté 12,40 + roman 8,90            → 1 commande, 2 parts, 21,30
    B 20/10 Hélène: époisses 9,80                         → 1 commande, 1 part,   9,80
    C 12/10 Marc:   2 comté 24,80 + roman (cancelled)    → 1 commande, 1 part,  24,80
    D 15/09 Marc:   époisses (September: before)
    E 31/10 23:30 Zoé: roman 8,90 + beurre 5,00           → 1 commande, 2 parts, 13,90
    F 01/11 00:30 Hélène: époisses (November: after)
    October: 4 commandes, 6 parts, 69,80 €; Fromagerie Test 47,00 (3), Librairie Test
    17,80 (2), Crèmerie Test 5,00 (1); kind Fromagerie 52,00 (4 parts, 4 commandes),
    Librairie 17,80; 3 customers, 2 returning (Hélène twice, Marc ordered in September)."""
    dairy = factories.shop("Crèmerie Test", kind="Fromagerie")
    town["butter"] = factories.product(dairy, title="Beurre", price="5.00", stock=5)
    town["dairy"] = dairy

    def order(lines, person, moment, cancelled_partner=None):
        placed = place_order(Client(), lines, **PEOPLE[person])
        placed_at(placed, moment, cancelled_partner)
        return placed

    order([(town["comte"], 1), (town["novel"], 1)], "helene", datetime.datetime(2026, 10, 5, 10, tzinfo=PARIS))
    order([(town["epoisses"], 1)], "helene", datetime.datetime(2026, 10, 20, 11, tzinfo=PARIS))
    order([(town["comte"], 2), (town["novel"], 1)], "marc", datetime.datetime(2026, 10, 12, 9, tzinfo=PARIS),
          cancelled_partner=town["books"].partner)
    order([(town["epoisses"], 1)], "marc", datetime.datetime(2026, 9, 15, 9, tzinfo=PARIS))
    order([(town["novel"], 1), (town["butter"], 1)], "zoe", datetime.datetime(2026, 10, 31, 23, 30, tzinfo=PARIS))
    order([(town["epoisses"], 1)], "helene", datetime.datetime(2026, 11, 1, 0, 30, tzinfo=PARIS))
    return town


def personal_strings():
    for person in PEOPLE.values():
        yield person["first_name"]
        yield person["last_name"]
        yield person["email"]
        digits = person["phone"].replace(" ", "")
        yield digits
        yield person["phone"]
        yield "+33" + digits[1:]


# --- The sales page ---------------------------------------------------------------------
def test_the_sales_page_counts_customer_orders_and_shop_parts_apart(client, team, month):
    client.force_login(team["staff"])
    response = client.get(reverse("backoffice_sales"), OCTOBER)
    context = response.context
    assert (context["start"], context["end"]) == (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
    total = context["total"]
    assert (total.customer_orders, total.orders, total.revenue) == (4, 6, Decimal("69.80"))
    body = response.content.decode()
    assert "4 commandes" in body and "6 parts de commerces" in body and "69,80\u00a0€" in body
    assert [(p.label, p.revenue) for p, _ in context["shops"]] == [
        ("Fromagerie Test", Decimal("47.00")), ("Librairie Test", Decimal("17.80")), ("Crèmerie Test", Decimal("5.00"))]
    assert len(context["daily_chart"].bars) == 31 and context["daily_chart"].bars[-1].value == Decimal("13.90")


def test_a_merchant_sees_their_shop_over_a_quarter_and_a_year(client, team, month):
    client.force_login(team["alice"])
    quarter = client.get(reverse("backoffice_sales"), {"periode": "trimestre", "du": "2026-11-20"}).context
    assert (quarter["start"], quarter["end"]) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    # Fromagerie: A, B, C in October, F in November; D (September) is another quarter.
    assert (quarter["total"].customer_orders, quarter["total"].orders, quarter["total"].revenue) == (4, 4, Decimal("56.80"))
    year = client.get(reverse("backoffice_sales"), {"periode": "annee", "du": "2026-03-01"}).context
    assert year["total"].revenue == Decimal("66.60") and year["daily_chart"] is None and "shops" not in year
    assert [(p["title"], p["quantity"]) for p in year["top_products"]] == [("Comté 18 mois", 3), ("Époisses", 3)]


def test_two_shops_in_one_order_read_one_order_and_two_parts(client, team, town):
    place_order(Client(), [(town["comte"], 1), (town["novel"], 1)])
    place_order(Client(), [(town["epoisses"], 1), (town["novel"], 1)])
    client.force_login(team["staff"])
    body = client.get(reverse("backoffice_sales")).content.decode()  # this month so far
    assert "2 commandes" in body and "4 parts de commerces" in body


@pytest.mark.parametrize("query, message", [
    ({"periode": "dates", "du": "2026-10-31", "au": "2026-10-01"}, "La date de début doit précéder la date de fin."),
    ({"periode": "dates", "du": "2026-10-01", "au": "2040-01-01"}, "Choisissez une date entre 2000 et 2036."),
    ({"periode": "annee", "du": "1999-06-01"}, "Choisissez une date entre 2000 et 2036."),
    ({"periode": "mois", "du": "31/02/2026"}, "Date invalide."),
    ({"periode": "dates", "du": "2026-10-01"}, "Indiquez la date de début et la date de fin."),
    ({"periode": "semaine", "du": "2026-10-01"}, "Sélectionnez un choix valide."),
])
def test_a_wrong_period_gets_a_french_message_and_no_figures(client, team, month, query, message):
    client.force_login(team["staff"])
    for name in ("backoffice_sales", "backoffice_sales_report"):
        response = client.get(reverse(name), query)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert "total" not in response.context and "summary" not in response.context
    export = client.get(reverse("backoffice_orders_export"), query)
    assert export.status_code == 400 and message in export.content.decode()
    assert client.get(reverse("backoffice_sales_report"), {**query, "format": "xlsx"}).status_code == 200


# --- The report for partners --------------------------------------------------------------
def test_the_report_has_the_months_hand_computed_figures(client, team, month):
    client.force_login(team["staff"])
    context = client.get(reverse("backoffice_sales_report"), OCTOBER).context
    summary = dict(context["summary"])
    assert summary["Commandes des clients"] == 4 and summary["Parts de commerces"] == 6
    assert summary["Montant des ventes (TTC)"] == "69,80\u00a0€"
    assert summary["Clients"] == 3 and summary["Clients revenus (au moins deux commandes)"] == 2
    assert context["shops"] == [("Fromagerie Test", 3, 3, "47,00\u00a0€"), ("Librairie Test", 2, 2, "17,80\u00a0€"),
                                ("Crèmerie Test", 1, 1, "5,00\u00a0€")]
    assert context["kinds"] == [("Fromagerie", 4, 4, "52,00\u00a0€"), ("Librairie", 2, 2, "17,80\u00a0€")]
    assert [bar.value for bar in context["chart"].bars] == [Decimal("47.00"), Decimal("17.80"), Decimal("5.00")]


def test_an_account_and_its_guest_orders_are_one_customer(client, team, town):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("helene", "Helene@Example.org", "pw-helene-2026")
    first = place_order(Client(), [(town["comte"], 1)], first_name="Hélène", last_name="Jourdan")
    Order.objects.filter(pk=first.pk).update(user=user, guest_email="")
    place_order(Client(), [(town["novel"], 1)])  # as a guest, the same e-mail
    place_order(Client(), [(town["epoisses"], 1)], email="autre@example.org")
    client.force_login(team["staff"])
    summary = dict(client.get(reverse("backoffice_sales_report")).context["summary"])
    assert (summary["Clients"], summary["Clients revenus (au moins deux commandes)"]) == (2, 1)


def test_the_plugins_figures_gift_cards_and_deliveries(client, team, month):
    from plugins.gift_cards.models import GiftCard, Kind, LedgerEntry
    from plugins.local_delivery.models import DeliveryStop

    october = datetime.datetime(2026, 10, 10, 12, tzinfo=PARIS)
    card = GiftCard.objects.create(kind=Kind.TOWN, initial_amount=Decimal("30.00"), expires_on=datetime.date(2027, 10, 10))
    GiftCard.objects.filter(pk=card.pk).update(created_at=october)
    GiftCard.objects.filter(pk=GiftCard.objects.create(
        kind=Kind.TOWN, initial_amount=Decimal("50.00"), expires_on=datetime.date(2027, 10, 10)).pk).update(
        created_at=datetime.datetime(2026, 9, 1, tzinfo=PARIS))  # September: not counted
    for amount, kind in ((Decimal("-12.00"), LedgerEntry.Kind.SPENT_IN_STORE), (Decimal("-8.00"), LedgerEntry.Kind.SPENT_ONLINE),
                         (Decimal("8.00"), LedgerEntry.Kind.REFUNDED)):
        LedgerEntry.objects.create(card=card, kind=kind, amount=amount, partner=month["cheese"].partner, created_at=october)
    parts = ShopOrder.objects.filter(date_created__month=10, status=ShopOrder.Status.NEW).order_by("pk")[:2]
    stop = DeliveryStop.objects.create(order=parts[0].order, date=datetime.date(2026, 10, 6),
                                       status=DeliveryStop.Status.DELIVERED)
    stop.parcels.set(ShopOrder.objects.filter(order=parts[0].order))
    client.force_login(team["staff"])
    summary = dict(client.get(reverse("backoffice_sales_report"), OCTOBER).context["summary"])
    assert summary["Cartes cadeaux vendues"] == 1 and summary["Cartes cadeaux vendues (montant)"] == "30,00\u00a0€"
    assert summary["Dépensé avec des cartes cadeaux"] == "12,00\u00a0€"
    assert summary["Livraisons faites par les bénévoles (adresses)"] == 1
    assert summary["Colis livrés par les bénévoles"] == 2
    assert summary["Colis envoyés par La Poste"] == 0


def test_the_report_page_and_its_exports_hold_no_personal_data(client, team, month):
    client.force_login(team["staff"])
    page = client.get(reverse("backoffice_sales_report"), OCTOBER).content
    csv = client.get(reverse("backoffice_sales_report"), {**OCTOBER, "format": "csv"})
    xlsx = client.get(reverse("backoffice_sales_report"), {**OCTOBER, "format": "xlsx"})
    assert csv["Content-Disposition"] == 'attachment; filename="rapport-2026-10-01-2026-10-31.csv"'
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    for text in [page.decode(), csv.content.decode("utf-8-sig"), "\n".join(map(str, cells))]:
        for personal in personal_strings():
            assert personal.lower() not in text.lower(), personal
    # The XLSX read back: the figures as numbers a spreadsheet adds up.
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["Commandes des clients"][0] == 4 and rows["Parts de commerces"][0] == 6
    assert rows["Montant des ventes (TTC)"][0] == Decimal("69.80") or rows["Montant des ventes (TTC)"][0] == 69.8
    assert rows["Fromagerie Test"][:3] == (3, 3, 47) and rows["Crèmerie Test"][:3] == (1, 1, 5)
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert "Fromagerie Test;3;3;47,00" in lines and "Parts de commerces;6" in lines


def test_only_the_association_sees_the_report(client, team, month):
    url = reverse("backoffice_sales_report")
    for name in ("alice", "bob", "volunteer"):
        client.force_login(team[name])
        for query in (OCTOBER, {**OCTOBER, "format": "xlsx"}, {**OCTOBER, "format": "csv"}):
            response = client.get(url, query)  # Wagtail's answer to PermissionDenied: back home
            assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
        assert b"Rapport pour les partenaires" not in client.get(reverse("backoffice_sales")).content \
            if name != "volunteer" else True
    client.logout()
    assert reverse("wagtailadmin_login") in client.get(url)["Location"]


# --- The orders CSV ------------------------------------------------------------------------
def read_export(client, query):
    response = client.get(reverse("backoffice_orders_export"), query)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_orders_csv_over_a_period_without_personal_data_by_default(client, team, month):
    client.force_login(team["staff"])
    content = read_export(client, OCTOBER)
    lines = content.splitlines()
    assert lines[0] == "Date;Commande;Commerce;Retrait ou livraison;Statut;Montant TTC;Frais de livraison"
    assert len(lines) == 1 + 7  # October's 7 shops' parts, the cancelled one included (it says so)
    assert "31/10/2026 23:30" in content and "01/11/2026" not in content and "/09/2026" not in content
    for personal in personal_strings():
        assert personal.lower() not in content.lower(), personal


def test_the_orders_csv_with_personal_data_when_asked(client, team, month):
    client.force_login(team["staff"])
    content = read_export(client, {**OCTOBER, "donnees_personnelles": "on"})
    assert content.splitlines()[0] == ("Date;Commande;Commerce;Client;Téléphone;E-mail;Adresse de livraison;"
                                       "Retrait ou livraison;Statut;Montant TTC;Frais de livraison")
    assert "Zoé Quintard" in content and "zoe.q@example.org" in content and "07 61 22 33 44" in content
    # A merchant keeps their own customers' details (to phone them back), and only theirs.
    client.force_login(team["bob"])
    content = read_export(client, {**OCTOBER, "donnees_personnelles": "on"})
    assert "Zoé Quintard" in content and "Fromagerie Test" not in content and "Crèmerie" not in content
    assert "Marcellin" in content  # his cancelled part of Marc's order
    assert "Hélène Jourdan" not in read_export(client, OCTOBER)
