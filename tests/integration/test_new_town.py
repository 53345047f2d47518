"""A real town starts with `manage.py new_town`, on the database migrations leave
(Wagtail's root page, its welcome page and its default Site; or nothing at all once a
transactional test has flushed it); its identity (TownSettings, a Wagtail site
setting) reaches pages, e-mails and PDFs."""
import html
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from oscar.core.loading import get_model
from pypdf import PdfReader
from wagtail.models import Page, Site

from backoffice import roles
from shops_pages.models import HomePage, NewsIndexPage, ShopIndexPage, ShopKind, ShopPage, StandardPage
from tests import factories
from tests.integration.helpers import place_order
from townmarket.models import TownSettings
from townmarket.town import town as current_town

pytestmark = pytest.mark.django_db
User = get_user_model()
Product = get_model("catalogue", "Product")
ShopOrder = get_model("order", "ShopOrder")

PASSWORD = "Remparts-Vauban-1673"
OPTIONS = {
    "town": "Le marché d'Auxonne", "association": "Union des commerçants d'Auxonne",
    "address": "11 rue de l'Hôtel de Ville, 21130 Auxonne", "phone": "03 80 31 00 00",
    "email": "contact@marche-auxonne.fr", "domain": "https://marche.example.fr",
    "admin_email": "maire@marche-auxonne.fr", "admin_password": PASSWORD,
}
LEGAL = ["/mentions-legales/", "/conditions-generales-de-vente/", "/confidentialite/"]


class FakeTerminal(io.StringIO):
    """Answers typed at the prompts, one a line."""

    def isatty(self):
        return True


def new_town(**overrides):
    options = {key: value for key, value in {**OPTIONS, **overrides}.items() if value is not None}
    out = io.StringIO()
    call_command("new_town", stdout=out, stderr=out, **options)
    return out.getvalue()


def snapshot():
    """What a refused run must leave as it found."""
    return (Page.objects.count(), Site.objects.count(), TownSettings.objects.count(), User.objects.count(),
            ShopKind.objects.count(), list(Site.objects.values_list("hostname", "port", "root_page_id")))


def text_of(response):
    return html.unescape(response.content.decode())


def test_new_town_gives_an_empty_storefront_in_french_with_the_towns_name(client):
    assert not HomePage.objects.exists() and not ShopPage.objects.exists() and not Product.objects.exists()
    output = new_town()
    assert "Le marché d'Auxonne est prêt" in output

    site = Site.objects.get()
    assert (site.hostname, site.port, site.is_default_site, site.site_name) == (
        "marche.example.fr", 443, True, "Le marché d'Auxonne")
    assert isinstance(site.root_page.specific, HomePage)
    home = client.get("/", HTTP_HOST="marche.example.fr", secure=True)
    assert home.status_code == 200
    page = text_of(home)
    assert '<html lang="fr"' in page and "Nouveautés" in page
    assert "<title>Le marché d'Auxonne</title>" in page
    assert "Union des commerçants d'Auxonne" in page and "03 80 31 00 00" in page
    assert "contact@marche-auxonne.fr" in page and "11 rue de l'Hôtel de Ville, 21130 Auxonne" in page
    assert "Val-sur-Ouche" not in page

    directory = client.get("/commerces/", HTTP_HOST="marche.example.fr", secure=True)
    assert directory.status_code == 200
    assert "Aucun commerce pour le moment." in text_of(directory)
    assert not ShopPage.objects.exists() and not Product.objects.exists()
    assert "Cave Morey" not in text_of(directory) and "Épicerie du Marché" not in page
    # the kinds of shop a merchant picks from when applying
    assert ShopKind.objects.filter(name="Boulangerie-pâtisserie").exists()
    assert client.get("/actualites/", HTTP_HOST="marche.example.fr", secure=True).status_code == 200

    for url in LEGAL:
        legal = client.get(url, HTTP_HOST="marche.example.fr", secure=True)
        assert legal.status_code == 200, url
        assert "À compléter" in text_of(legal), url
    statement = client.get("/accessibilite/", HTTP_HOST="marche.example.fr", secure=True)
    assert statement.status_code == 200 and "partiellement conforme" in text_of(statement)
    assert StandardPage.objects.live().count() == 4  # the three legal pages and the accessibility statement

    login = client.post("/admin/login/", {"username": "admin", "password": PASSWORD},
                        HTTP_HOST="marche.example.fr", secure=True)
    assert login.status_code == 302
    assert client.get("/admin/", HTTP_HOST="marche.example.fr", secure=True).status_code == 200
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.email == "maire@marche-auxonne.fr"

    settings_row = TownSettings.objects.get(site=site)
    assert (settings_row.name, settings_row.association_name, settings_row.phone, settings_row.email) == (
        "Le marché d'Auxonne", "Union des commerçants d'Auxonne", "03 80 31 00 00", "contact@marche-auxonne.fr")
    association = Group.objects.get(name=roles.ASSOCIATION)
    assert association.permissions.filter(codename="change_townsettings").exists()


def test_the_port_follows_the_scheme_or_is_given():
    new_town(domain="http://marche.example.fr:8080")
    assert Site.objects.filter(hostname="marche.example.fr", port=8080, is_default_site=True).exists()


@pytest.mark.parametrize("option, value, message", [
    ("email", "pas-une-adresse", "--email"),
    ("admin_email", "admin@", "--admin-email"),
    ("domain", "marche.example.fr", "--domain"),
    ("domain", "ftp://marche.example.fr", "--domain"),
    ("domain", "https://marche.example.fr/boutique/", "--domain"),
    ("admin_password", "1234", "--admin-password"),
    ("admin_password", "password", "--admin-password"),
    ("phone", "appelez-nous", "--phone"),
    ("town", "   ", "--town"),
    ("admin_username", "l'admin du marché", "--admin-username"),
])
def test_bad_input_names_the_option_in_french_and_saves_nothing(option, value, message):
    before = snapshot()
    with pytest.raises(CommandError) as refused:
        new_town(**{option: value})
    assert message in str(refused.value)
    assert snapshot() == before


def test_a_weak_password_is_refused_with_djangos_french_reason():
    with pytest.raises(CommandError) as refused:
        new_town(admin_password="1234")
    assert "trop court" in str(refused.value)


def test_a_missing_option_without_a_terminal_is_named(monkeypatch):
    monkeypatch.delenv("NEW_TOWN_ADMIN_PASSWORD", raising=False)
    before = snapshot()
    with pytest.raises(CommandError) as refused:
        new_town(town=None, admin_password=None)
    assert "--town" in str(refused.value) and "--admin-password" in str(refused.value)
    assert "NEW_TOWN_ADMIN_PASSWORD" in str(refused.value)
    assert snapshot() == before


def test_the_password_may_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("NEW_TOWN_ADMIN_PASSWORD", PASSWORD)
    new_town(admin_password=None)
    assert User.objects.get(username="admin").check_password(PASSWORD)


def test_at_a_terminal_it_asks_for_what_is_missing():
    answers = FakeTerminal("Le marché d'Uzès\n\nmauvais-courriel\ncontact@uzes.example.fr\n"
                           f"{PASSWORD}\n{PASSWORD}\n")
    out = io.StringIO()
    options = {**OPTIONS, "town": None, "email": None, "admin_password": None}
    call_command("new_town", stdin=answers, stdout=out, stderr=out,
                 **{key: value for key, value in options.items() if value is not None})
    assert TownSettings.objects.get().name == "Le marché d'Uzès"
    assert TownSettings.objects.get().email == "contact@uzes.example.fr"
    # the empty answer and the bad address were asked again, with the reason
    assert "n'est pas une adresse e-mail valide" in out.getvalue()


SECOND = {"town": "Le marché de Saint-Jean-de-Losne", "association": "Les commerçants de Saint-Jean",
          "address": "Place de la Mairie, 21170 Saint-Jean-de-Losne", "phone": "03 80 29 00 00",
          "email": "contact@saint-jean.example.fr", "domain": "https://saint-jean.example.fr",
          "admin_email": None, "admin_password": None,
          "staff_email": "lucie@saint-jean.example.fr", "staff_password": PASSWORD}


@pytest.mark.parametrize("domain", ["https://marche.example.fr", "http://marche.example.fr:8080"])
def test_a_second_town_on_a_hostname_already_served_is_refused_and_changes_nothing(domain):
    new_town()
    before = snapshot()
    with pytest.raises(CommandError) as refused:
        new_town(**{**SECOND, "domain": domain})
    assert "marche.example.fr" in str(refused.value) and "déjà" in str(refused.value)
    assert "Le marché d'Auxonne" in str(refused.value)
    assert snapshot() == before


def test_a_second_town_gets_its_own_site_pages_identity_and_association_account(client):
    new_town()
    factories.shop("Fromagerie d'Auxonne", kind="Fromagerie")  # a shop of the first town
    first = Site.objects.get()
    output = new_town(**SECOND)
    assert "Le marché de Saint-Jean-de-Losne est prêt" in output and "lucie@saint-jean.example.fr" in output

    site = Site.objects.get(hostname="saint-jean.example.fr")
    assert (site.port, site.is_default_site, site.site_name) == (443, False, "Le marché de Saint-Jean-de-Losne")
    assert Site.objects.get(is_default_site=True) == first and first.root_page_id != site.root_page_id
    assert isinstance(site.root_page.specific, HomePage)

    def get(path, host="saint-jean.example.fr"):
        return client.get(path, HTTP_HOST=host, secure=True)

    page = text_of(get("/"))
    assert "<title>Le marché de Saint-Jean-de-Losne</title>" in page
    assert "Les commerçants de Saint-Jean" in page and "03 80 29 00 00" in page
    assert "Auxonne" not in page
    directory = get("/commerces/")
    assert directory.status_code == 200 and "Aucun commerce pour le moment." in text_of(directory)
    assert "Fromagerie d'Auxonne" not in text_of(directory)
    assert get("/actualites/").status_code == 200
    for path in LEGAL + ["/accessibilite/"]:
        assert get(path).status_code == 200, path
    # each town its own directory, news and legal pages, under its own home page
    assert ShopIndexPage.objects.child_of(site.root_page).count() == 1
    assert NewsIndexPage.objects.child_of(site.root_page).count() == 1
    assert StandardPage.objects.live().descendant_of(site.root_page).count() == 4
    # the first town is as it was
    assert "Fromagerie d'Auxonne" in text_of(get("/commerces/", host="marche.example.fr"))
    assert "<title>Le marché d'Auxonne</title>" in text_of(get("/", host="marche.example.fr"))

    row = TownSettings.objects.get(site=site)
    assert (row.name, row.association_name, row.email) == (
        "Le marché de Saint-Jean-de-Losne", "Les commerçants de Saint-Jean", "contact@saint-jean.example.fr")
    assert TownSettings.objects.get(site=first).name == "Le marché d'Auxonne"
    # every site setting (the plugins' too: deliveries, gift cards, payouts) has its row for the town
    from wagtail.contrib.settings.registry import registry
    for model in registry:
        assert model.objects.filter(site=site).exists(), model

    # no second platform administrator: the town's first association account, for this town only
    assert User.objects.filter(is_superuser=True).count() == 1
    lucie = User.objects.get(email="lucie@saint-jean.example.fr")
    assert not lucie.is_superuser and lucie.check_password(PASSWORD)
    assert client.post("/admin/login/", {"username": lucie.username, "password": PASSWORD},
                       HTTP_HOST="saint-jean.example.fr", secure=True).status_code == 302
    assert get("/admin/").status_code == 200
    assert not lucie.groups.filter(name=roles.ASSOCIATION).exists()  # the first town's association
    if hasattr(roles, "managed_towns"):
        assert list(roles.managed_towns(lucie)) == [site]


def test_a_later_town_asks_for_its_association_account_not_an_administrator(monkeypatch):
    monkeypatch.delenv("NEW_TOWN_STAFF_PASSWORD", raising=False)
    new_town()
    before = snapshot()
    with pytest.raises(CommandError) as refused:
        new_town(**{**SECOND, "staff_email": None, "staff_password": None})
    assert "--staff-email" in str(refused.value) and "--staff-password" in str(refused.value)
    assert "NEW_TOWN_STAFF_PASSWORD" in str(refused.value)
    with pytest.raises(CommandError) as refused:
        new_town(**{**SECOND, "admin_email": "autre@example.fr"})
    assert "--admin-email" in str(refused.value) and "--staff-email" in str(refused.value)
    with pytest.raises(CommandError) as refused:
        new_town(**{**SECOND, "staff_email": OPTIONS["admin_email"]})
    assert "--staff-email" in str(refused.value) and "existe déjà" in str(refused.value)
    with pytest.raises(CommandError) as refused:
        new_town(**{**SECOND, "staff_password": "1234"})
    assert "--staff-password" in str(refused.value)
    assert snapshot() == before

    monkeypatch.setenv("NEW_TOWN_STAFF_PASSWORD", PASSWORD)
    new_town(**{**SECOND, "staff_password": None, "staff_username": "lucie"})
    assert User.objects.get(username="lucie").check_password(PASSWORD)


def test_the_town_of_a_request_without_a_site_row_is_the_default_sites():
    factories.build_site()
    assert current_town().name == TownSettings.for_site(Site.objects.get(is_default_site=True)).name


def test_an_email_and_a_packing_slip_carry_the_edited_name(client, town_with_shops, team_of_town):
    row = TownSettings.for_site(Site.objects.get(is_default_site=True))
    row.name, row.email_sender_name = "Shop'in Uzège", "Shop'in Uzège, le marché"
    row.save()

    order = place_order(client, [(town_with_shops["comte"], 1)])
    confirmation = next(m for m in mail.outbox if m.to == ["helene@example.org"])
    assert "Shop'in Uzège" in confirmation.body
    assert confirmation.from_email == '"Shop\'in Uzège, le marché" <bonjour@example.org>'
    shop_mail = next(m for m in mail.outbox if m.to != ["helene@example.org"])
    assert shop_mail.from_email == confirmation.from_email

    client.force_login(team_of_town)
    part = ShopOrder.objects.get(order=order)
    slip = client.get(reverse("backoffice_order_slip", args=[part.pk]))
    text = PdfReader(io.BytesIO(slip.content)).pages[0].extract_text()
    assert "Shop'in Uzège" in text and "Val-sur-Ouche" not in text.split("\n")[0]


@pytest.fixture
def town_with_shops(db):
    factories.build_site()
    cheese = factories.shop("Fromagerie Test", kind="Fromagerie")
    return {"cheese": cheese, "comte": factories.product(cheese, title="Comté 18 mois", price="12.40", stock=5)}


@pytest.fixture
def team_of_town(town_with_shops):
    return factories.merchant(town_with_shops["cheese"], "alice")


def settings_url(site):
    return reverse("wagtailsettings:edit", args=["townmarket", "townsettings", site.pk])


def settings_form(**overrides):
    return {"name": "Shop'in Uzège", "primary_colour": "#7a1f5c", "association_name": "Les commerçants d'Uzès",
            "association_address": "Place aux Herbes, 30700 Uzès", "phone": "04 66 00 00 00",
            "email": "contact@uzes.example.fr", "email_sender_name": "", **overrides}


@pytest.mark.parametrize("colour, reason", [
    ("#ffd700", "trop claire"),  # gold: 1,4:1 with white
    ("#2e8b57", "trop claire"),  # sea green: 4,1:1, just under AA
    ("vert", "#rrvvbb"),
    ("#12345", "#rrvvbb"),
])
def test_association_staff_edit_the_identity_and_a_light_colour_is_refused(client, team_of_town, colour, reason):
    staff = factories.role_user(roles.ASSOCIATION, "lara")
    site = Site.objects.get(is_default_site=True)
    client.force_login(staff)
    assert client.get(settings_url(site)).status_code == 200

    refused = client.post(settings_url(site), settings_form(primary_colour=colour))
    assert refused.status_code == 200 and reason in text_of(refused)
    assert TownSettings.for_site(site).primary_colour == "#1f5f3a"

    client.post(settings_url(site), settings_form())
    assert (TownSettings.for_site(site).name, TownSettings.for_site(site).primary_colour) == ("Shop'in Uzège", "#7a1f5c")
    page = text_of(client.get("/"))
    assert "Shop'in Uzège" in page and "--town-colour: #7a1f5c" in page
    assert "Les commerçants d'Uzès" in page and "Place aux Herbes, 30700 Uzès" in page


def test_merchants_and_volunteers_may_not_edit_the_identity(client, team_of_town):
    site = Site.objects.get(is_default_site=True)
    volunteer = factories.role_user(roles.VOLUNTEERS, "paul")
    for user in (team_of_town, volunteer):
        client.force_login(user)
        response = client.get(settings_url(site))
        assert response.status_code in {302, 403}, user
        assert client.post(settings_url(site), settings_form()).status_code in {302, 403}
    assert TownSettings.for_site(site).name == "Le marché de Val-sur-Ouche"


def test_the_admin_password_reset_comes_from_the_towns_sender_name(client, town_with_shops):
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    row = TownSettings.for_site(Site.objects.get(is_default_site=True))
    row.email_sender_name = "Shop'in Uzège"
    row.save()
    factories.role_user(roles.ASSOCIATION, "lara")
    client.post(reverse("wagtailadmin_password_reset"), {"email": "lara@example.org"})
    assert [m.from_email for m in mail.outbox] == ['"Shop\'in Uzège" <bonjour@example.org>']


def test_the_settings_row_is_read_once_per_page(client, town_with_shops, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0  # each page rendered, not served by the page cache (townmarket.page_cache)

    for url in ["/", "/commerces/", "/boutique/catalogue/", town_with_shops["comte"].get_absolute_url()]:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert sum("townmarket_townsettings" in q["sql"] for q in queries.captured_queries) == 1, url


def test_the_logo_shows_in_the_header(client, town_with_shops):
    from wagtail.images.models import Image

    from tests.support.images import photo

    row = TownSettings.for_site(Site.objects.get(is_default_site=True))
    row.logo = Image.objects.create(title="Logo", file=photo("logo.jpg"))
    row.save()
    page = text_of(client.get("/"))
    assert 'class="site-logo"' in page and 'alt=""' in page


def test_every_page_links_the_legal_pages_and_a_renamed_town_signs_its_emails(client):
    """Walk-through finds: the legal pages existed but nothing linked them; a town renamed
    in its settings still sent e-mails as its old name (the sender name was filled in)."""
    new_town()
    page = client.get("/").content.decode()
    for path in LEGAL + ["/accessibilite/"]:
        assert f'href="{path}"' in page
        assert client.get(path).status_code == 200

    row = current_town()
    row.name = "Le marché de Saint-Bernard-lès-Ouche"
    row.save()
    mail.outbox.clear()
    client.post(reverse("password-reset"), {"email": OPTIONS["admin_email"]})
    assert mail.outbox and mail.outbox[0].from_email.startswith('"Le marché de Saint-Bernard-lès-Ouche"')
