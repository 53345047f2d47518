"""Several towns on one install (issue 20): each town's association settles with its own
shops, from its own account, in its own SEPA file; another town's settlement is a 404;
the platform administrator sees every town's totals and their sum."""
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from backoffice import roles
from plugins.gift_cards import ledger
from plugins.gift_cards.models import GiftCard, Kind
from plugins.payments.models import PayoutSettings, ShopPayoutAccount
from tests.plugins.towns import client_of, default_town, second_town, shop_in, town_staff

pytestmark = pytest.mark.django_db
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
TOWN_IBAN = "FR1420041010050500013M02606"
BEAUNE_IBAN = "FR7630004000031234567890143"
CHEESE_IBAN = "FR7630006000011234567890189"
GROCER_IBAN = "DE89370400440532013000"


def this_month():
    today = timezone.localdate()
    return {"du": today.replace(day=1).isoformat(), "au": today.isoformat()}


def town_card_taken_at(partner, amount):
    """A town card of the shop's town, taken at its counter: owed to the shop by its association."""
    card = GiftCard.objects.create(kind=Kind.TOWN, town=partner.town, initial_amount=Decimal("50.00"),
                                   expires_on=timezone.localdate().replace(year=timezone.localdate().year + 1))
    ledger.issue(card)
    ledger.spend(card, amount, partner)



def body(response):
    """A CSV download's text (streamed)."""
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def client(town):
    """The back office on the test town's own address (with two towns, another host is redirected)."""
    return client_of(default_town())

@pytest.fixture
def two_towns(town):
    here, beaune = default_town(), second_town()
    grocer = shop_in(beaune, "Primeur de Beaune", kind="Primeur")
    for site, holder, iban in [(here, "Association de test", TOWN_IBAN), (beaune, "Association de Beaune", BEAUNE_IBAN)]:
        settings = PayoutSettings.for_site(site)
        settings.holder, settings.iban = holder, iban
        settings.save()
    ShopPayoutAccount.objects.create(partner=town["cheese"].partner, holder="Fromagerie Test", iban=CHEESE_IBAN)
    ShopPayoutAccount.objects.create(partner=grocer.partner, holder="Primeur de Beaune", iban=GROCER_IBAN)
    town_card_taken_at(town["cheese"].partner, "10.00")
    town_card_taken_at(grocer.partner, "7.00")
    return {"here": here, "beaune": beaune, "grocer": grocer}


def transfer_file(client, **extra):
    response = client.get(reverse("payments_sepa_transfers"), {**this_month(), **extra})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml"), response
    root = ET.fromstring(response.content)
    batch = root.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    return (batch.find("p:DbtrAcct/p:Id/p:IBAN", NS).text,
            {tx.find("p:Cdtr/p:Nm", NS).text: Decimal(tx.find("p:Amt/p:InstdAmt", NS).text)
             for tx in batch.findall("p:CdtTrfTxInf", NS)})


def test_each_towns_association_settles_its_own_shops_from_its_own_account(client, team, two_towns):
    client.force_login(team["staff"])  # the test town's association
    page = client.get(reverse("payments_settlement"), this_month())
    assert [row.partner.name for row in page.context["rows"]] == ["Fromagerie Test"]
    assert transfer_file(client) == (TOWN_IBAN, {"Fromagerie Test": Decimal("10.00")})

    client.force_login(town_staff(two_towns["beaune"], roles.ASSOCIATION, "berthe"))
    page = client.get(reverse("payments_settlement"), this_month())
    assert [row.partner.name for row in page.context["rows"]] == ["Primeur de Beaune"]
    assert "Association de Beaune" in page.content.decode()
    assert transfer_file(client) == (BEAUNE_IBAN, {"Primeur de Beaune": Decimal("7.00")})
    csv = body(client.get(reverse("payments_settlement_export"), this_month()))
    assert "Primeur de Beaune" in csv and "Fromagerie Test" not in csv


def test_another_towns_settlement_and_file_are_404(client, team, two_towns):
    client.force_login(team["staff"])
    other = {**this_month(), "ville": two_towns["beaune"].pk}
    for name in ("payments_settlement", "payments_settlement_export", "payments_sepa_transfers"):
        assert client.get(reverse(name), other).status_code == 404
    assert client.get(reverse("payments_commission", args=[two_towns["grocer"].partner.pk])).status_code == 404
    for wrong in ("abc", "999999"):
        assert client.get(reverse("payments_settlement"), {**this_month(), "ville": wrong}).status_code == 404


def test_the_platform_administrator_sees_every_town_and_their_sum(client, two_towns):
    admin = get_user_model().objects.create_superuser("plateforme", "plateforme@example.org", "pw-admin-2026")
    client.force_login(admin)
    page = client.get(reverse("payments_settlement"), {**this_month(), "ville": "toutes"})
    assert page.status_code == 200
    towns = {row["name"]: row["totals"]["due"] for row in page.context["town_totals"]}
    assert towns == {"Le marché de Val-sur-Ouche": Decimal("10.00"), "Le marché de Beaune-Test": Decimal("7.00")}
    assert page.context["totals"]["due"] == Decimal("17.00")
    html = page.content.decode()
    assert "Le marché de Beaune-Test" in html and "17,00" in html
    # one file per association: the platform view names none
    refused = client.get(reverse("payments_sepa_transfers"), {**this_month(), "ville": "toutes"}, follow=True)
    assert "Choisissez une ville" in refused.content.decode()
    assert transfer_file(client, ville=two_towns["beaune"].pk) == (BEAUNE_IBAN, {"Primeur de Beaune": Decimal("7.00")})


def selected_town(html):
    """The value of the option the « Ville » select shows as chosen ("" when none is)."""
    from bs4 import BeautifulSoup

    chosen = BeautifulSoup(html, "html.parser").select('select[name="ville"] option[selected]')
    assert len(chosen) <= 1, chosen
    return chosen[0]["value"] if chosen else ""


def test_the_town_selector_says_which_town_the_settlement_shows(client, two_towns):
    """The platform administrator opening the page without ?ville= sees the town of the
    address; the « Ville » select says so (not « Toutes les villes »), so that « Afficher »
    keeps showing that town."""
    admin = get_user_model().objects.create_superuser("plateforme", "plateforme@example.org", "pw-admin-2026")
    client.force_login(admin)
    page = client.get(reverse("payments_settlement"), this_month())
    assert [row.partner.name for row in page.context["rows"]] == ["Fromagerie Test"]
    assert "town_totals" not in page.context
    assert selected_town(page.content.decode()) == str(two_towns["here"].pk)

    page = client.get(reverse("payments_settlement"), {**this_month(), "ville": "toutes"})
    assert selected_town(page.content.decode()) == "toutes"
    page = client.get(reverse("payments_settlement"), {**this_month(), "ville": two_towns["beaune"].pk})
    assert [row.partner.name for row in page.context["rows"]] == ["Primeur de Beaune"]
    assert selected_town(page.content.decode()) == str(two_towns["beaune"].pk)


def test_a_link_naming_only_the_town_shows_this_month(client, two_towns):
    """« ?ville=3 » alone (a bookmark, a link from another page) is this month's settlement
    of that town, not a form saying « Champ requis » with no figures."""
    admin = get_user_model().objects.create_superuser("plateforme", "plateforme@example.org", "pw-admin-2026")
    client.force_login(admin)
    page = client.get(reverse("payments_settlement"), {"ville": two_towns["beaune"].pk})
    assert "Champ requis" not in page.content.decode()
    assert [row.partner.name for row in page.context["rows"]] == ["Primeur de Beaune"]
