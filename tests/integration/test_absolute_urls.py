"""Every link the product sends out of the browser — e-mails, PDFs, QR codes, Stripe's
return URLs — points at the town's public address, the Wagtail Site's (Settings >
Sites: marche.example.fr, port 443 → https), never at example.com, 127.0.0.1,
localhost, testserver, nor at whatever Host header the request carried."""
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pypdfium2
import pytest
import zxingcpp
from django.contrib.sites.models import Site as DjangoSite
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from pypdf import PdfReader
from wagtail.models import Site

from backoffice.models import ShopApplication
from oscar_apps.order import workflow
from tests import factories
from tests.integration.helpers import add_to_basket, checkout_data, place_order

pytestmark = pytest.mark.django_db
PUBLIC = "https://marche.example.fr/"
URL = re.compile(r"https?://[^\s\"'<>]+")
MARKUP_NAMESPACES = {"www.w3.org", "schema.org"}  # Oscar's HTML e-mail's doctype and microdata: not links
FORGED_HOST = "evil.example"
ShopOrder = get_model("order", "ShopOrder")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def forged():
    """A browser whose requests carry another Host header (ALLOWED_HOSTS lets it through
    in tests, as a misconfigured proxy would)."""
    return Client(HTTP_HOST=FORGED_HOST)


@pytest.fixture
def public(town):
    """The town's public address, as the association sets it in Settings > Sites; the
    django.contrib.sites Site keeps Django's « example.com », which nothing may read."""
    Site.objects.filter(is_default_site=True).update(hostname="marche.example.fr", port=443)
    DjangoSite.objects.filter(pk=1).update(domain="example.com", name="example.com")
    return town


# --- what a message carries --------------------------------------------------------

def pdf_urls(content):
    """The URLs written in a PDF and those its QR codes hold."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    document = pypdfium2.PdfDocument(content)
    codes = [code.text for page in document for code in zxingcpp.read_barcodes(page.render(scale=2).to_pil())]
    return URL.findall(text) + [found for code in codes for found in URL.findall(code)], codes


def message_urls(message):
    parts = [message.subject, message.body] + [content for content, _ in getattr(message, "alternatives", [])]
    found = [url for part in parts for url in URL.findall(str(part))]
    for attachment in message.attachments:
        _name, content, mimetype = attachment
        if mimetype == "application/pdf":
            found += pdf_urls(content)[0]
    return [url for url in found if urlsplit(url).hostname not in MARKUP_NAMESPACES]


def assert_public(urls):
    assert urls, "no link at all"
    wrong = [url for url in urls if not url.startswith(PUBLIC)]
    assert wrong == []


def sent_to(address):
    return [message for message in mail.outbox if address in message.to]


# --- orders ----------------------------------------------------------------------------

def test_order_confirmation_and_the_shops_notifications(forged, public, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        place_order(forged, [(public["comte"], 1), (public["novel"], 1)])
    [confirmation] = sent_to("helene@example.org")
    assert_public(message_urls(confirmation))
    assert any("/boutique/" in url for url in message_urls(confirmation))  # « Suivre votre commande »
    for shop in ("cheese", "books"):
        [notification] = sent_to(public[shop].email)
        assert_public(message_urls(notification))


def test_status_e_mails_to_the_customer(client, public, team, django_capture_on_commit_callbacks):
    order = place_order(client, [(public["comte"], 1)])
    mail.outbox.clear()
    part = ShopOrder.objects.get(order=order)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.change_status(part, "en_preparation")
        workflow.change_status(ShopOrder.objects.get(pk=part.pk), "prete")
    [ready] = mail.outbox
    assert all(url.startswith(PUBLIC) for url in message_urls(ready))


def test_the_packing_slip(client, public, team):
    order = place_order(client, [(public["comte"], 1)])
    client.force_login(team["alice"])
    response = client.get(reverse("backoffice_order_slip", args=[ShopOrder.objects.get(order=order).pk]),
                          HTTP_HOST=FORGED_HOST)
    assert response["Content-Type"] == "application/pdf"
    urls, _codes = pdf_urls(response.content)
    assert all(url.startswith(PUBLIC) for url in urls)


# --- accounts --------------------------------------------------------------------------

@pytest.fixture
def customer(public, django_user_model):
    return django_user_model.objects.create_user("hjourdan", "helene@example.org", "tomme-et-comte-21")


@pytest.mark.parametrize("known", [False, True], ids=["new address", "known address"])
def test_registration_e_mails(client, public, django_user_model, known):
    if known:
        django_user_model.objects.create_user("hjourdan", "helene@example.org", "tomme-et-comte-21")
    client.post("/boutique/accounts/register/", {"email": "helene@example.org", "password1": "brioche-du-dimanche-7",
                                                 "password2": "brioche-du-dimanche-7"}, HTTP_HOST=FORGED_HOST)
    [message] = mail.outbox
    assert_public(message_urls(message))


def test_shop_password_reset(client, customer):
    client.post("/boutique/password-reset/", {"email": "helene@example.org"}, HTTP_HOST=FORGED_HOST)
    [message] = mail.outbox
    assert_public(message_urls(message))
    assert any("/boutique/password-reset/confirm/" in url for url in message_urls(message))


@pytest.mark.parametrize("change", ["email", "password"])
def test_account_change_e_mails(client, customer, change):
    client.force_login(customer)
    if change == "email":
        client.post(reverse("customer:profile-update"), {"first_name": "Hélène", "last_name": "Jourdan",
                                                         "email": "helene.j@example.org"}, HTTP_HOST=FORGED_HOST)
    else:
        client.post(reverse("customer:change-password"), {
            "old_password": "tomme-et-comte-21", "new_password1": "brioche-du-dimanche-7",
            "new_password2": "brioche-du-dimanche-7"}, HTTP_HOST=FORGED_HOST)
    [message] = mail.outbox
    assert_public(message_urls(message))


def test_wagtail_admin_password_reset(client, public, team):
    client.post("/admin/password_reset/", {"email": team["alice"].email}, HTTP_HOST=FORGED_HOST)
    [message] = mail.outbox
    assert_public(message_urls(message))
    assert any("/admin/password_reset/confirm/" in url for url in message_urls(message))


def test_wagtail_moderation_notifications(client, public, team, django_capture_on_commit_callbacks):
    """Wagtail's own e-mails: a vitrine submitted for moderation tells the association."""
    page = public["cheese"]
    page.moderation_required = True
    page.save_revision().publish()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.get_workflow().start(page, team["alice"])
    [notification] = sent_to(team["staff"].email)
    assert_public(message_urls(notification))
    assert any(f"/admin/pages/{page.pk}/" in url for url in message_urls(notification))


# --- shop applications -----------------------------------------------------------------

def application_data(**overrides):
    from shops_pages.models import ShopKind

    data = {
        "shop_name": "Institut Zen", "kind": ShopKind.objects.get(slug="fromagerie").pk, "siret": "732 829 320 00074",
        "street": "3 rue des Tanneurs", "postcode": "21130", "city": "Auxonne", "contact_name": "Maud Petit",
        "phone": "06 11 22 33 44", "email": "maud@institut-zen.fr", "message": "Massages.", "website": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("decision", ["approve new account", "approve known account", "reject"])
def test_shop_application_e_mails(client, public, team, customer, decision, django_capture_on_commit_callbacks):
    email = "helene@example.org" if decision == "approve known account" else "maud@institut-zen.fr"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("shop_application"), application_data(email=email), HTTP_HOST=FORGED_HOST)
    received = mail.outbox[:]
    assert len(received) == 2  # to the association (with the link to review it) and to the shop
    assert_public([url for message in received for url in message_urls(message)])
    mail.outbox.clear()
    client.force_login(team["staff"])
    action = {"reject": "1", "reason": "Hors de la commune."} if decision == "reject" else {"approve": "1"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("backoffice_application", args=[ShopApplication.objects.get().pk]), action,
                    HTTP_HOST=FORGED_HOST)
    [answer] = mail.outbox
    if decision == "reject":
        assert all(url.startswith(PUBLIC) for url in message_urls(answer))
    else:
        assert_public(message_urls(answer))


# --- stock alerts ----------------------------------------------------------------------

def test_stock_alert_e_mails(client, public):
    product = public["comte"]
    StockRecord.objects.filter(product=product).update(num_in_stock=0)
    client.post(reverse("customer:alert-create", args=[product.pk]), {"email": "guest@example.org"},
                HTTP_HOST=FORGED_HOST)
    [confirmation] = mail.outbox
    assert_public(message_urls(confirmation))
    confirm_path = urlsplit(next(url for url in message_urls(confirmation) if "/confirm/" in url)).path
    client.get(confirm_path)
    mail.outbox.clear()
    record = StockRecord.objects.get(product=product)
    record.num_in_stock = 5
    record.save()  # Oscar e-mails the alerts when the product is back in stock
    [alert] = mail.outbox
    assert_public(message_urls(alert))


# --- gift cards and online payment -----------------------------------------------------

def test_gift_card_e_mail_and_its_pdf(public):
    from plugins.gift_cards import issuing
    from plugins.gift_cards.models import GiftCard
    from tests.plugins.gift_cards.conftest import make_card

    card = make_card()
    GiftCard.objects.filter(pk=card.pk).update(send_on=timezone.localdate())  # its day has come
    assert issuing.send_due() == 1
    [message] = mail.outbox
    assert_public(message_urls(message))
    [(_name, content, _mimetype)] = message.attachments
    urls, codes = pdf_urls(content)
    assert_public(urls)
    assert card.display_code in codes  # the QR code holds the card's code


def test_stripe_return_urls(forged, public, fake_stripe):
    add_to_basket(forged, public["comte"])
    forged.post(reverse("checkout:index"), checkout_data(forged, payment_method="stripe_card"))
    [session] = fake_stripe.sessions.values()
    assert session["success_url"].startswith(PUBLIC + "paiement/")
    assert session["cancel_url"].startswith(PUBLIC + "paiement/")


# --- home delivery: the run sheet and the stop e-mails ----------------------------------

def test_the_run_sheet_and_the_delivery_e_mails(client, team, market, frozen_clock, django_capture_on_commit_callbacks):
    from plugins.local_delivery.models import DeliveryStop
    from tests.plugins.local_delivery.test_rounds import CUSTOMERS, TUESDAY, order_for_tuesday

    Site.objects.filter(is_default_site=True).update(hostname="marche.example.fr", port=443)
    order = order_for_tuesday(market, CUSTOMERS[0])
    mail.outbox.clear()
    frozen_clock.set(frozen_clock.value.replace(day=24))
    client.force_login(team["staff"])
    sheet = client.get(reverse("local_delivery_run_sheet", args=[TUESDAY]), HTTP_HOST=FORGED_HOST)
    assert sheet["Content-Type"] == "application/pdf"
    assert all(url.startswith(PUBLIC) for url in pdf_urls(sheet.content)[0])
    stop = DeliveryStop.objects.get(order=order)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("local_delivery_mark_stop", args=[stop.pk]), {"status": "livre"}, HTTP_HOST=FORGED_HOST)
    assert mail.outbox and all(url.startswith(PUBLIC) for message in mail.outbox for url in message_urls(message))


# --- the rule itself -------------------------------------------------------------------

def test_https_behind_a_proxy_that_says_so(client, customer, settings):
    """Port 80 in the Site (TLS ends at the proxy): the links are https when the request
    came over TLS, as X-Forwarded-Proto tells under SECURE_PROXY_SSL_HEADER."""
    Site.objects.filter(is_default_site=True).update(port=80)
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client.post("/boutique/password-reset/", {"email": "helene@example.org"}, HTTP_X_FORWARDED_PROTO="https")
    assert_public(message_urls(mail.outbox[0]))
    mail.outbox.clear()
    cache.clear()
    client.post("/boutique/password-reset/", {"email": "helene@example.org"})
    urls = message_urls(mail.outbox[0])
    assert urls and all(url.startswith("http://marche.example.fr/") for url in urls)


def test_https_setting_and_other_ports(public, settings):
    from townmarket.absolute_urls import absolute_url

    site = Site.objects.get(is_default_site=True)
    assert absolute_url("/boutique/?q=comté") == "https://marche.example.fr/boutique/?q=comté"
    site.port = 80
    assert absolute_url("boutique/", site=site) == "http://marche.example.fr/boutique/"
    settings.HTTPS = True
    assert absolute_url("/boutique/", site=site) == "https://marche.example.fr/boutique/"
    settings.HTTPS = False
    site.hostname, site.port = "127.0.0.1", 8000
    assert absolute_url("/admin/", site=site) == "http://127.0.0.1:8000/admin/"
    assert absolute_url("//evil.example/x", site=site) == "http://127.0.0.1:8000/evil.example/x"


def test_the_demo_links_to_where_make_run_serves_it(db, monkeypatch):
    """load_demo_town sets the first town's Site to val-sur-ouche.localhost:8000, or to make run's HOST and PORT."""
    from django.core.management.base import CommandError

    from shops_pages.management.commands.load_demo_town import Command
    from townmarket.absolute_urls import absolute_url

    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    Command().ensure_pages()
    assert absolute_url("/admin/") == "http://val-sur-ouche.localhost:8000/admin/"
    monkeypatch.setenv("HOST", "localhost")
    monkeypatch.setenv("PORT", "8001")
    Command().ensure_pages()
    assert absolute_url("/admin/") == "http://localhost:8001/admin/"
    monkeypatch.setenv("PORT", "huit-mille")
    with pytest.raises(CommandError, match="PORT doit être un numéro de port"):
        Command().ensure_pages()


def test_page_links_stay_relative_on_a_single_site(client, public):
    html = client.get("/").content.decode()
    assert 'href="/commerces/' in html and 'href="https://marche.example.fr' not in html
    # absolute addresses only where they must be: shared-link tags and structured data (townmarket.seo)
    assert '<meta property="og:url" content="https://marche.example.fr/">' in html


def test_no_template_of_ours_uses_oscars_absolute_url_or_the_django_site_domain():
    root = Path(__file__).resolve().parents[2]
    offenders = [str(path.relative_to(root)) for folder in ("site", "plugins", "shops_pages", "oscar_apps")
                 for path in (root / folder).rglob("*") if path.suffix in {".html", ".txt"}
                 and re.search(r"\{%\s*absolute_url\s|site\.domain", path.read_text(encoding="utf-8"))]
    assert offenders == []


from tests.plugins.local_delivery.conftest import frozen_clock, market, zone  # noqa: E402,F401  a delivery zone
from tests.plugins.payments.conftest import fake_stripe  # noqa: E402,F401  the fake Stripe fixture
