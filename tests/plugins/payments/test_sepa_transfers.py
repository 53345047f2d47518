"""The SEPA credit transfer file of what the association owes each shop for a period,
and the bank details it needs: the shop's IBAN (the merchant for their own shop, the
association for any) and the association's own (its settings)."""
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from plugins.payments.models import PayoutSettings, ShopPayoutAccount

pytestmark = pytest.mark.django_db

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
ASSOCIATION_IBAN = "FR1420041010050500013M02606"
CHEESE_IBAN = "FR7630006000011234567890189"
BOOKS_IBAN = "DE89370400440532013000"


def this_month():
    today = timezone.localdate()
    return {"du": today.replace(day=1).isoformat(), "au": today.isoformat()}


def save_details(client, shop, **fields):
    data = {"shop": shop.partner.pk, "holder": fields.get("holder", shop.partner.name), "iban": fields.get("iban", ""),
            "bic": fields.get("bic", "")}
    return client.post(reverse("payments_payout_account"), data, follow=True)


@pytest.fixture
def association_account(town):
    settings = PayoutSettings.for_site(Site.objects.get(is_default_site=True))
    settings.holder, settings.iban, settings.bic = "Association des commerçants", ASSOCIATION_IBAN, "PSSTFRPPXXX"
    settings.save()
    return settings


def transfers(client, period=None):
    response = client.get(reverse("payments_sepa_transfers"), period or this_month())
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    return ET.fromstring(b"".join(response.streaming_content) if response.streaming else response.content)


def test_the_transfer_file_pays_each_shop_what_the_settlement_says(client, paid_order, team, town,
                                                                  association_account):
    client.force_login(team["alice"])
    save_details(client, town["cheese"], iban="fr76 3000 6000 0112 3456 7890 189", bic="agrifrpp")
    client.force_login(team["staff"])
    save_details(client, town["books"], holder="Librairie Test SARL", iban=BOOKS_IBAN)

    settlement = client.get(reverse("payments_settlement"), this_month())
    dues = {row.partner.name: row.due for row in settlement.context["rows"]}
    # 12,40 − 0,33 of Stripe's fee; 8,90 − 0,24.
    assert dues == {"Fromagerie Test": Decimal("12.07"), "Librairie Test": Decimal("8.66")}

    root = transfers(client)
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert header.find("p:NbOfTxs", NS).text == "2"
    assert Decimal(header.find("p:CtrlSum", NS).text) == Decimal("20.73") == sum(dues.values())
    batch = root.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert batch.find("p:DbtrAcct/p:Id/p:IBAN", NS).text == ASSOCIATION_IBAN
    paid = {tx.find("p:Cdtr/p:Nm", NS).text: (tx.find("p:CdtrAcct/p:Id/p:IBAN", NS).text,
                                              Decimal(tx.find("p:Amt/p:InstdAmt", NS).text),
                                              tx.find("p:Amt/p:InstdAmt", NS).get("Ccy"))
            for tx in batch.findall("p:CdtTrfTxInf", NS)}
    assert paid == {"Fromagerie Test": (CHEESE_IBAN, Decimal("12.07"), "EUR"),
                    "Librairie Test SARL": (BOOKS_IBAN, Decimal("8.66"), "EUR")}
    assert Decimal(batch.find("p:CtrlSum", NS).text) == Decimal("20.73")


def test_shops_without_an_iban_are_left_out_and_named(client, paid_order, team, town, association_account):
    client.force_login(team["alice"])
    save_details(client, town["cheese"], iban=CHEESE_IBAN)
    client.force_login(team["staff"])
    page = client.get(reverse("payments_settlement"), this_month()).content.decode().replace("\xa0", " ")
    assert "Sans IBAN, ces commerces ne sont pas dans le fichier de virements : Librairie Test." in page
    assert "1 virement, 12,07 € en tout" in page

    root = transfers(client)
    [transfer] = root.findall(".//p:CdtTrfTxInf", NS)
    assert transfer.find("p:CdtrAcct/p:Id/p:IBAN", NS).text == CHEESE_IBAN
    assert root.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", NS).text == "1"


def test_without_the_associations_iban_there_is_no_file(client, paid_order, team, town):
    client.force_login(team["alice"])
    save_details(client, town["cheese"], iban=CHEESE_IBAN)
    client.force_login(team["staff"])
    response = client.get(reverse("payments_sepa_transfers"), this_month(), follow=True)
    text = response.content.decode().replace("&#x27;", "'")
    assert "L'IBAN de l'association n'est pas renseigné" in text
    assert not response["Content-Type"].startswith("application/xml")


@pytest.mark.parametrize("iban, bic, message", [
    ("FR7630006000011234567890188", "", "Cet IBAN est erroné : sa clé de contrôle ne correspond pas. Recopiez-le depuis votre RIB."),
    ("bonjour", "", "Ce n'est pas un IBAN : deux lettres (le pays), deux chiffres, puis jusqu'à 30 lettres ou chiffres."),
    ("FR76300060000112345678901", "", "Cet IBAN n'a pas la longueur ou la forme prévue pour son pays. Recopiez-le depuis votre RIB."),
    ("", "", "Indiquez l'IBAN du compte."),
    (CHEESE_IBAN, "AGRI", "Ce n'est pas un BIC : 8 ou 11 lettres et chiffres, par exemple AGRIFRPP."),
])
def test_a_wrong_iban_is_explained_and_nothing_saved(client, team, town, iban, bic, message):
    client.force_login(team["alice"])
    response = save_details(client, town["cheese"], iban=iban, bic=bic)
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not ShopPayoutAccount.objects.exists()


def test_a_changed_iban_replaces_the_old_one_and_shows_formatted(client, team, town):
    client.force_login(team["alice"])
    save_details(client, town["cheese"], iban=CHEESE_IBAN)
    response = save_details(client, town["cheese"], iban=BOOKS_IBAN)
    assert "Coordonnées bancaires de Fromagerie Test enregistrées." in response.content.decode()
    assert ShopPayoutAccount.objects.get().iban == BOOKS_IBAN
    assert "DE89 3704 0044 0532 0130 00" in response.content.decode()


def test_merchants_handle_their_own_shop_only_and_never_get_the_associations_file(
        client, paid_order, team, town, association_account):
    client.force_login(team["bob"])  # the bookshop
    assert save_details(client, town["cheese"], iban=CHEESE_IBAN).status_code == 404
    assert client.get(reverse("payments_payout_account"), {"shop": town["cheese"].partner.pk}).status_code == 404
    assert not ShopPayoutAccount.objects.exists()
    assert client.get(reverse("payments_sepa_transfers"), this_month()).status_code == 404
    assert "virements" not in client.get(reverse("payments_settlement"), this_month()).content.decode().lower()
    client.force_login(team["volunteer"])
    assert client.get(reverse("payments_payout_account")).status_code in (302, 403)
    assert client.get(reverse("payments_sepa_transfers"), this_month()).status_code in (302, 403)


def test_the_associations_iban_is_checked_in_its_settings(client, team, town):
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["payments", "payoutsettings", site.pk])
    client.force_login(team["staff"])
    response = client.post(url, {"holder": "Association", "iban": "FR1420041010050500013M02607", "bic": ""})
    assert "Cet IBAN est erroné : sa clé de contrôle ne correspond pas." in response.content.decode()
    assert PayoutSettings.for_site(site).iban == ""
    client.post(url, {"holder": "Association", "iban": "fr14 2004 1010 0505 0001 3m02 606", "bic": "psstfrpp"})
    assert (PayoutSettings.for_site(site).iban, PayoutSettings.for_site(site).bic) == (ASSOCIATION_IBAN, "PSSTFRPP")
    client.force_login(team["alice"])
    client.post(url, {"holder": "Alice", "iban": CHEESE_IBAN, "bic": ""})
    assert PayoutSettings.for_site(site).iban == ASSOCIATION_IBAN


def test_the_settlement_page_and_the_file_cost_the_same_queries_whatever_the_sales(
        client, paid_order, team, town, fake_stripe, association_account, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import post_event, start_online_payment

    ShopPayoutAccount.objects.create(partner=town["cheese"].partner, holder="Fromagerie", iban=CHEESE_IBAN)
    ShopPayoutAccount.objects.create(partner=town["books"].partner, holder="Librairie", iban=BOOKS_IBAN)

    def queries():
        client.force_login(team["staff"])
        counts = []
        for name in ("payments_settlement", "payments_sepa_transfers"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse(name), this_month()).status_code == 200
            counts.append(len(captured))
        client.logout()
        return counts

    before = queries()
    for _ in range(3):
        order, _response = start_online_payment(client, [(town["comte"], 1), (town["novel"], 1)])
        with django_capture_on_commit_callbacks(execute=True):
            post_event(client, fake_stripe, fake_stripe.complete(order.online_payment.session_id))
    assert queries() == before
    assert before[0] <= 40


def test_hostile_values_never_make_a_server_error(team, town, association_account):
    from tests.integration.security.test_fuzz import hostile_client, server_errors

    ShopPayoutAccount.objects.create(partner=town["cheese"].partner, holder="Fromagerie", iban=CHEESE_IBAN)
    staff = hostile_client(team["staff"])
    assert server_errors(staff, "get", reverse("payments_sepa_transfers"), ["du", "au", "boutique"]) == []
    assert server_errors(staff, "get", reverse("payments_payout_account"), ["shop"]) == []
    merchant = hostile_client(team["alice"])
    base = {"shop": town["cheese"].partner.pk, "holder": "Fromagerie", "iban": CHEESE_IBAN, "bic": ""}
    assert server_errors(merchant, "post", reverse("payments_payout_account"), ["holder", "iban", "bic"], base) == []
    assert server_errors(merchant, "post", reverse("payments_payout_account"), ["shop"], base) == []
    assert ShopPayoutAccount.objects.get().iban == CHEESE_IBAN  # nothing hostile was saved
