"""Each shop's invoice for its part of an order, credit notes, and the shop's legal identity
(site/invoicing, oscar_apps/partner/legal_identity.py). PDFs are read back with pypdf."""
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model
from pypdf import PdfReader
from stdnum import luhn

from backoffice.models import ShopApplication
from invoicing.models import Document, ImmutableDocument, Kind
from oscar_apps.order import tracking, workflow
from oscar_apps.partner.legal_identity import format_siret, vat_number_for
from tests import factories
from tests.conftest import requires_postgres
from tests.integration.helpers import add_to_basket, checkout_data, place_order
from tests.plugins.payments.conftest import fake_stripe, paid_order  # noqa: F401 (fixtures)
from tests.support.parallel import run_at_once
from townmarket.money import euros

Partner = get_model("partner", "Partner")
ShopOrder = get_model("order", "ShopOrder")
Order = get_model("order", "Order")
CENT = Decimal("0.01")


def valid_siret(seed):
    """A SIRET with right check digits (SIREN and whole number), made up for the test."""
    base = f"{81234000 + seed:08d}"
    siren = base + luhn.calc_check_digit(base)
    return siren + "0002" + luhn.calc_check_digit(siren + "0002")


def wrong_check_digit(siret):
    return siret[:-1] + str((int(siret[-1]) + 1) % 10)


def give_identity(shop_page, seed=1, **changes):
    partner = shop_page.partner
    siret = valid_siret(seed)
    fields = {"legal_name": f"SARL {partner.name}", "legal_form": "SARL au capital de 8 000 €", "siret": siret,
              "vat_number": vat_number_for(siret), "legal_street": "3 rue des Halles", "legal_postcode": "21130",
              "legal_city": "Val-sur-Ouche", **changes}
    Partner.objects.filter(pk=partner.pk).update(**fields)
    partner.refresh_from_db()
    return partner


def pdf_text(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response) if response.streaming else response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))  # lines and no-break spaces


def shown(value):
    return re.sub(r"\s+", " ", euros(value))


def tracking_document_url(order, document):
    return reverse("invoicing_tracking", args=[tracking.token_for(order), document.number])


def invoice_of(order, shop_page):
    return Document.objects.get(kind=Kind.INVOICE, shop_order__order=order, shop_order__partner=shop_page.partner)


# -- the invoice ------------------------------------------------------------------------
@pytest.fixture
def mixed_shop(town):
    """A grocer selling at 5.5 %, 10 % and 20 %, with prices that need rounding."""
    shop = factories.shop("Épicerie Taux Mêlés")
    give_identity(shop, seed=7)
    return {
        "shop": shop,
        "lentils": factories.product(shop, title="Lentilles vertes", price="3.33", stock=20, vat_rate="5.5"),
        "honey": factories.product(shop, title="Miel de tilleul", price="8.19", stock=20, vat_rate="5.5"),
        "soup": factories.product(shop, title="Soupe à emporter", price="4.99", stock=20, vat_rate="10.0"),
        "corkscrew": factories.product(shop, title="Tire-bouchon", price="12.97", stock=20, vat_rate="20.0"),
    }


def test_a_basket_mixing_three_vat_rates_gets_an_invoice_whose_totals_per_rate_add_up_to_the_cent(client, mixed_shop):
    quantities = {"lentils": 3, "honey": 2, "soup": 3, "corkscrew": 1}
    order = place_order(client, [(mixed_shop[key], quantity) for key, quantity in quantities.items()])
    invoice = invoice_of(order, mixed_shop["shop"])
    partner = mixed_shop["shop"].partner

    # What the test expects, computed from the prices: HT per line rounded to the cent.
    per_rate = {}
    for key, quantity in quantities.items():
        stockrecord = mixed_shop[key].stockrecords.get()
        ttc = stockrecord.price * quantity
        ht = (ttc / (1 + Decimal(stockrecord.vat_rate) / 100)).quantize(CENT, rounding=ROUND_HALF_UP)
        entry = per_rate.setdefault(stockrecord.vat_rate, [Decimal(0), Decimal(0), Decimal(0)])
        entry[0] += ht
        entry[1] += ttc - ht
        entry[2] += ttc
    assert len(per_rate) == 3

    text = pdf_text(client.get(tracking_document_url(order, invoice)))
    assert f"Facture n° {invoice.number}" in text
    assert re.fullmatch(r"F-EPICERIE-TAUX-MELES-\d{4}-000001", invoice.number)
    assert format_siret(partner.siret) in text and partner.vat_number in text
    assert partner.legal_name in text and "SARL au capital de 8 000 €" in text
    assert order.number in text and "Hélène Jourdan" in text
    for rate_label, rate in (("5,5 %", "5.5"), ("10 %", "10.0"), ("20 %", "20.0")):
        ht, vat, ttc = per_rate[rate]
        assert f"{rate_label} {shown(ht)} {shown(vat)} {shown(ttc)}" in text, (rate_label, text)
    total_ht = sum(entry[0] for entry in per_rate.values())
    total_vat = sum(entry[1] for entry in per_rate.values())
    total_ttc = sum(entry[2] for entry in per_rate.values())
    assert total_ht + total_vat == total_ttc == ShopOrder.objects.get(order=order).subtotal
    assert f"Total {shown(total_ht)} {shown(total_vat)} {shown(total_ttc)}" in text
    assert "P.U. HT" in text and "Lentilles vertes" in text
    assert "À régler au commerce" in text
    assert "place de marché opérée par" in text  # the marketplace is the intermediary, not the seller


def test_a_shop_under_the_franchise_en_base_invoices_without_vat(client, town):
    give_identity(town["books"], seed=8, vat_number="", vat_exempt=True)
    order = place_order(client, [(town["novel"], 2)])
    invoice = invoice_of(order, town["books"])
    text = pdf_text(client.get(tracking_document_url(order, invoice)))
    ttc = town["novel"].stockrecords.get().price * 2
    assert "TVA non applicable, art. 293 B du CGI" in text
    assert f"Total {shown(ttc)} {shown(0)} {shown(ttc)}" in text
    assert "intracommunautaire" not in text
    vitrine = client.get(town["books"].url).content.decode()
    assert "TVA non applicable, art. 293 B du CGI" in vitrine


def test_each_shop_numbers_its_own_invoices_one_after_the_other(client, town):
    first = place_order(Client(), [(town["comte"], 1), (town["novel"], 1)])
    second = place_order(Client(), [(town["epoisses"], 1)])
    cheese_numbers = [invoice_of(first, town["cheese"]), invoice_of(second, town["cheese"])]
    assert [doc.sequence_number for doc in cheese_numbers] == [1, 2]
    assert cheese_numbers[0].number.endswith("-000001") and cheese_numbers[1].number.endswith("-000002")
    assert invoice_of(first, town["books"]).sequence_number == 1  # its own series


def test_an_order_paid_online_is_invoiced_when_its_payment_is_confirmed(paid_order, town):  # noqa: F811
    invoice = invoice_of(paid_order, town["cheese"])
    assert any(payment["label"].startswith("Payé en ligne") for payment in invoice.content["payments"])


def test_no_invoice_while_an_online_payment_is_awaited(client, town, fake_stripe):  # noqa: F811
    add_to_basket(client, town["comte"], 1)
    client.post(reverse("checkout:index"), checkout_data(client, payment_method="stripe_card"))
    assert Order.objects.get().status == "En attente de paiement"
    assert not Document.objects.exists()


def test_an_issued_invoice_cannot_change_nor_disappear(client, town):
    order = place_order(client, [(town["comte"], 1)])
    invoice = invoice_of(order, town["cheese"])
    invoice.total_incl_tax = Decimal("0.01")
    with pytest.raises(ImmutableDocument):
        invoice.save()
    with pytest.raises(ImmutableDocument):
        invoice.delete()
    with pytest.raises(ImmutableDocument), transaction.atomic():
        Document.objects.filter(pk=invoice.pk).delete()
    assert Document.objects.get(pk=invoice.pk).total_incl_tax == ShopOrder.objects.get(order=order).total
    # The shop's identity changes later: the invoice still says what it said.
    give_identity(town["cheese"], seed=99, legal_name="Nouveau Nom SAS")
    text = pdf_text(client.get(tracking_document_url(order, invoice)))
    assert "Nouveau Nom SAS" not in text


# -- credit notes ---------------------------------------------------------------------------
def test_a_cancelled_shop_order_gets_a_credit_note_referring_to_its_invoice(client, town, team):
    order = place_order(client, [(town["comte"], 2), (town["novel"], 1)])
    cheese_part = ShopOrder.objects.get(order=order, partner=town["cheese"].partner)
    invoice = invoice_of(order, town["cheese"])
    workflow.change_status(cheese_part, ShopOrder.Status.CANCELLED, user=team["alice"])

    credit_note = Document.objects.get(kind=Kind.CREDIT_NOTE)
    assert credit_note.invoice == invoice and credit_note.total_incl_tax == invoice.total_incl_tax
    assert re.fullmatch(r"A-FROMAGERIE-TEST-\d{4}-000001", credit_note.number)
    text = pdf_text(client.get(tracking_document_url(order, credit_note)))
    assert f"Avoir n° {credit_note.number}" in text and f"Se rapporte à la facture n° {invoice.number}" in text
    assert f"Montant de l'avoir TTC : {shown(invoice.total_incl_tax)}" in text
    # The customer's tracking page links both.
    page = client.get(tracking.path_for(order)).content.decode()
    assert invoice.number in page and credit_note.number in page
    # The other shop's part is not touched.
    assert not Document.objects.filter(kind=Kind.CREDIT_NOTE, partner=town["books"].partner).exists()


def test_a_refund_gives_a_credit_note_for_the_amount_refunded(client, paid_order, team, town, fake_stripe):  # noqa: F811
    cheese_part = ShopOrder.objects.get(order=paid_order, partner=town["cheese"].partner)
    invoice = invoice_of(paid_order, town["cheese"])
    client.force_login(team["alice"])
    response = client.post(reverse("payments_refund", args=[cheese_part.pk]),
                           {"refund-amount": "4,40", "refund-reason": "Article manquant"}, follow=True)
    assert response.status_code == 200

    credit_note = Document.objects.get(kind=Kind.CREDIT_NOTE)
    assert credit_note.invoice == invoice and credit_note.total_incl_tax == Decimal("4.40")
    text = pdf_text(client.get(reverse("invoicing_backoffice", args=[credit_note.number])))
    assert f"Se rapporte à la facture n° {invoice.number}" in text and "Article manquant" in text
    assert f"Montant de l'avoir TTC : {shown(Decimal('4.40'))}" in text
    # Cancelling afterwards credits what is left; its automatic refund adds no second credit note.
    workflow.change_status(cheese_part, ShopOrder.Status.CANCELLED, user=team["alice"])
    credit_notes = list(Document.objects.filter(kind=Kind.CREDIT_NOTE).order_by("sequence_number"))
    assert [doc.sequence_number for doc in credit_notes] == [1, 2]
    assert sum(doc.total_incl_tax for doc in credit_notes) == invoice.total_incl_tax


# -- who may download ----------------------------------------------------------------------
@pytest.fixture
def invoiced(town, team):
    """Hélène's account order at the cheese shop and the bookshop."""
    from django.contrib.auth import get_user_model

    helene = get_user_model().objects.create_user("helene", "helene@example.org", "pw-helene-2026")
    client = Client()
    client.force_login(helene)
    order = place_order(client, [(town["comte"], 1), (town["novel"], 1)])
    assert order.user == helene
    return {"order": order, "client": client, "cheese": invoice_of(order, town["cheese"]),
            "books": invoice_of(order, town["books"])}


def test_the_customer_downloads_their_invoices_from_their_account(invoiced):
    client, order = invoiced["client"], invoiced["order"]
    page = client.get(reverse("customer:order", args=[order.number])).content.decode()
    url = reverse("invoicing_account", args=[invoiced["cheese"].number])
    assert url in page
    assert invoiced["cheese"].number in pdf_text(client.get(url))


def test_an_invoice_names_the_buyer_without_their_email(invoiced):
    """The law asks for the buyer's name (and address): nothing more is frozen into a
    document kept ten years and left untouched when the customer erases their account."""
    text = pdf_text(invoiced["client"].get(reverse("invoicing_account", args=[invoiced["cheese"].number])))
    assert invoiced["order"].customer_name.split()[0] in text
    assert "helene@example.org" not in text
    assert "helene@example.org" not in str(invoiced["cheese"].content)


def test_nobody_else_gets_an_invoice(invoiced, team, town):
    from django.contrib.auth import get_user_model

    number = invoiced["cheese"].number
    other = Client()
    other.force_login(get_user_model().objects.create_user("intrus", "intrus@example.org", "pw-intrus-2026"))
    assert other.get(reverse("invoicing_account", args=[number])).status_code == 404
    # Another order's tracking link does not open this invoice; a forged one neither.
    someone_else = place_order(Client(), [(town["epoisses"], 1)])
    assert other.get(reverse("invoicing_tracking", args=[tracking.token_for(someone_else), number])).status_code == 404
    assert other.get(reverse("invoicing_tracking", args=["faux:jeton", number])).status_code == 404
    # The bookshop's merchant and a volunteer: 404; the cheese shop's merchant and the association: the PDF.
    for user, status in ((team["bob"], 404), (team["volunteer"], 404), (team["alice"], 200), (team["staff"], 200)):
        staff_client = Client()
        staff_client.force_login(user)
        assert staff_client.get(reverse("invoicing_backoffice", args=[number])).status_code == status, user
    # Signed out: the login page, not the invoice.
    response = Client().get(reverse("invoicing_account", args=[number]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_merchant_finds_the_invoice_on_their_shop_order(invoiced, team, town):
    client = Client()
    client.force_login(team["alice"])
    shop_order = invoiced["cheese"].shop_order
    page = client.get(reverse("backoffice_order", args=[shop_order.pk])).content.decode()
    assert reverse("invoicing_backoffice", args=[invoiced["cheese"].number]) in page
    assert invoiced["books"].number not in page


@pytest.mark.parametrize("where", ["account", "tracking", "backoffice"])
def test_downloading_an_invoice_costs_a_fixed_number_of_queries(invoiced, team, where, django_assert_max_num_queries):
    order, document = invoiced["order"], invoiced["cheese"]
    if where == "account":
        client, url = invoiced["client"], reverse("invoicing_account", args=[document.number])
    elif where == "tracking":
        client, url = Client(), tracking_document_url(order, document)
    else:
        client = Client()
        client.force_login(team["alice"])
        url = reverse("invoicing_backoffice", args=[document.number])
    client.get(url)  # warm per-process caches
    with django_assert_max_num_queries(12 if where == "backoffice" else 5):
        assert client.get(url).status_code == 200


# -- the shop's legal identity ---------------------------------------------------------------
def identity_form(partner, **changes):
    siret = valid_siret(42)
    data = {"shop": partner.pk, "legal_name": "SARL Fromages et Cie", "legal_form": "SARL", "siret": siret,
            "vat_number": vat_number_for(siret), "legal_street": "5 rue du Pont", "legal_postcode": "21130",
            "legal_city": "Val-sur-Ouche"}
    data.update(changes)
    return data


def test_the_merchant_gives_their_shop_s_legal_identity_and_the_vitrine_shows_it(town, team):
    client = Client()
    client.force_login(team["alice"])
    partner = town["cheese"].partner
    siret = valid_siret(42)
    response = client.post(reverse("backoffice_legal_identity"),
                           identity_form(partner, siret=format_siret(siret), vat_number=vat_number_for(siret).lower()))
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.siret == siret and partner.vat_number == vat_number_for(siret)
    vitrine = Client().get(town["cheese"].url).content.decode()
    assert f"Vendu par : SARL Fromages et Cie, SARL, SIRET {format_siret(siret)}, TVA {vat_number_for(siret)}" in vitrine


@pytest.mark.parametrize("changes, field, message", [
    ({"siret": wrong_check_digit(valid_siret(42))}, "siret", "n'est pas valide : un chiffre est faux"),
    ({"siret": "1234"}, "siret", "Le SIRET compte 14 chiffres"),
    ({"vat_number": vat_number_for(valid_siret(43))}, "vat_number", "ne correspond pas au SIRET"),
    ({"vat_number": "FR00" + valid_siret(42)[:9]}, "vat_number", "n'est pas valide"),
    ({"vat_number": ""}, "vat_number", "ou cochez « Franchise en base de TVA »"),
    ({"legal_postcode": "2113"}, "legal_postcode", "Le code postal compte 5 chiffres"),
])
def test_a_wrong_siret_or_vat_number_is_explained_and_nothing_is_saved(town, team, changes, field, message):
    client = Client()
    client.force_login(team["alice"])
    partner = town["cheese"].partner
    response = client.post(reverse("backoffice_legal_identity"), identity_form(partner, **changes))
    assert response.status_code == 200
    assert message in " ".join(str(error) for error in response.context["form"].errors[field])
    assert message.replace("'", "&#x27;").replace("«", "«") in response.content.decode()
    partner.refresh_from_db()
    assert partner.siret == "" and partner.legal_name == ""


def test_a_merchant_cannot_change_another_shop_s_identity(town, team):
    client = Client()
    client.force_login(team["alice"])
    books = town["books"].partner
    assert client.post(reverse("backoffice_legal_identity"), identity_form(books)).status_code == 404
    assert client.get(reverse("backoffice_legal_identity"), {"shop": books.pk}).status_code == 404
    volunteer = Client()
    volunteer.force_login(team["volunteer"])
    assert volunteer.get(reverse("backoffice_legal_identity")).status_code in (302, 403)  # Wagtail's refusal
    books.refresh_from_db()
    assert books.siret == ""
    # The association edits any shop's.
    staff = Client()
    staff.force_login(team["staff"])
    assert staff.post(reverse("backoffice_legal_identity"), identity_form(books)).status_code == 302


def test_an_accepted_application_gives_the_shop_its_siret(town, team, rf):
    from backoffice.onboarding import services
    from shops_pages.models import ShopKind

    siret = valid_siret(55)
    application = ShopApplication.objects.create(
        shop_name="Quincaillerie Neuve", kind=ShopKind.objects.first(), siret=siret, street="8 rue Neuve",
        postcode="21130", city="Val-sur-Ouche", contact_name="Jean Clou", phone="+33380000001",
        email="jean@example.org")
    services.approve(application, team["staff"], rf.get("/"))
    partner = ShopApplication.objects.get(pk=application.pk).shop_page.partner
    assert (partner.legal_name, partner.siret, partner.legal_address) == (
        "Quincaillerie Neuve", siret, "8 rue Neuve, 21130 Val-sur-Ouche")


def test_existing_shops_get_their_application_s_siret_by_migration(town):
    from importlib import import_module

    from django.apps import apps

    from shops_pages.models import ShopKind

    siret = valid_siret(66)
    ShopApplication.objects.create(
        shop_name="Fromagerie Test", kind=ShopKind.objects.first(), siret=siret, street="1 rue du Test",
        postcode="21130", city="Val-sur-Ouche", contact_name="Alice", phone="+33380000001", email="a@example.org",
        status=ShopApplication.Status.APPROVED, shop_page=town["cheese"])
    migration = import_module("oscar_apps.partner.migrations.0010_partner_legal_identity_from_applications")
    migration.copy_from_applications(apps, None)
    partner = Partner.objects.get(pk=town["cheese"].partner_id)
    assert partner.siret == siret and partner.legal_name == "Fromagerie Test"


def test_the_demo_shops_have_valid_fictitious_sirets():
    from stdnum.fr import siret as siret_numbers

    from oscar_apps.partner.legal_identity import clean_vat_number
    from shops_pages.demo import legal
    from shops_pages.demo.catalogue_data import SHOPS, TOWN

    sirets = set()
    for number, shop in enumerate(SHOPS):
        identity = legal.identity(shop, number, TOWN)
        assert siret_numbers.is_valid(identity["siret"])
        assert identity["vat_exempt"] or clean_vat_number(identity["vat_number"], identity["siret"])
        sirets.add(identity["siret"])
    assert len(sirets) == len(SHOPS)


# -- numbers under concurrent orders (PostgreSQL) -------------------------------------------
@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_orders_get_invoice_numbers_one_to_twenty_without_gaps():
    shop = factories.shop("Fromagerie Parallèle")
    give_identity(shop, seed=3)
    # A product each: no stock row shared between the orders, only the shop's series.
    cheeses = [factories.product(shop, title=f"Crottin n° {n}", price="3.10", stock=5) for n in range(20)]
    other_shop = factories.shop("Librairie Parallèle", is_food=False)
    book = factories.product(other_shop, title="Almanach", price="9.00", stock=100, category_name="Livres")
    clients = []
    for number in range(20):
        client = Client()
        add_to_basket(client, cheeses[number], 1)
        if number % 2:
            add_to_basket(client, book, 1)  # two shops' series locked in one order
        clients.append((client, checkout_data(client)))
    outcomes, errors = run_at_once(lambda pair: pair[0].post(reverse("checkout:index"), pair[1]).status_code, clients)

    assert not errors, errors
    assert outcomes == [302] * 20
    ranks = sorted(Document.objects.filter(partner=shop.partner, kind=Kind.INVOICE)
                   .values_list("sequence_number", flat=True))
    assert ranks == list(range(1, 21))
    numbers = list(Document.objects.filter(partner=shop.partner).values_list("number", flat=True))
    assert len(set(numbers)) == 20
    assert sorted(Document.objects.filter(partner=other_shop.partner).values_list("sequence_number", flat=True)) == \
        list(range(1, 11))
    # Each invoice matches its order: issued in the order's own transaction.
    assert Document.objects.filter(kind=Kind.INVOICE).count() == ShopOrder.objects.count() == 30
