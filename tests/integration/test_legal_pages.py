"""The legal pages (issue 18, item 1): « Mentions légales », the CGV and the privacy policy exist
from the town's first day (new_town, the demo), with real texts filled from the town's settings
at render time, linked from every page; /cgv/ answers; the checkout asks to accept the CGV and
records the version accepted on the order."""
import html
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from oscar.core.loading import get_model

from shops_pages.models import StandardPage
from tests import factories
from tests.integration.helpers import add_to_basket, checkout_data
from tests.integration.test_new_town import OPTIONS, new_town
from townmarket import legal
from townmarket.models import TownSettings

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
PAGES = {
    "/mentions-legales/": ["Éditeur du site", "Directeur ou directrice de la publication", "Hébergeur"],
    "/conditions-generales-de-vente/": [
        "Chaque commerçant est le vendeur", "toutes taxes comprises (TTC)", "14 jours",
        "se détériorer ou de se périmer rapidement", "nettement personnalisés", "pleinement exécutées",
        "Médiation", "formulaire de rétractation"],
    "/confidentialite/": ["Responsable du traitement", "Combien de temps", "télécharger vos données",
                          "supprimer votre compte", "aucun script ni cookie de tiers", "CNIL"],
}


def text_of(response):
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def footer_links(client, url):
    page = client.get(url).content.decode()
    footer = page[page.index("<footer"):]
    return {html.unescape(text.strip()): href for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', footer)}


def assert_filled_pages(client, identity, **request):
    for url, sections in PAGES.items():
        response = client.get(url, **request)
        assert response.status_code == 200, url
        text = text_of(response)
        for words in sections:
            assert words in text, (url, words)
        assert identity.association_name in text, url
        assert not re.search(r"\{[a-z_]+\}", text), (url, re.findall(r"\{[a-z_]+\}", text))


def test_new_town_publishes_the_three_pages_filled_with_its_association(client):
    new_town()
    identity = TownSettings.objects.get()
    request = {"HTTP_HOST": "marche.example.fr", "secure": True}
    assert_filled_pages(client, identity, **request)
    notice = text_of(client.get("/mentions-legales/", **request))
    assert OPTIONS["address"] in notice and OPTIONS["phone"] in notice and "https://marche.example.fr" in notice
    # What new_town does not know is shown as missing, not invented.
    assert "[À compléter par l'association : le nom de l'hébergeur]" in notice


def test_editing_the_settings_updates_the_pages(client):
    new_town()
    identity = TownSettings.objects.get()
    identity.host_name, identity.host_address, identity.host_phone = "Nuage Bourguignon SARL", "3 rue Vauban, 21000 Dijon", "03 80 12 34 56"
    identity.publication_director, identity.registration_number = "Marie Durand, présidente", "W212001234"
    identity.mediator_name, identity.mediator_website = "CM2C", "https://www.cm2c.net"
    identity.save()
    request = {"HTTP_HOST": "marche.example.fr", "secure": True}
    notice = text_of(client.get("/mentions-legales/", **request))
    assert "Nuage Bourguignon SARL" in notice and "3 rue Vauban, 21000 Dijon" in notice and "03 80 12 34 56" in notice
    assert "Marie Durand, présidente" in notice and "numéro W212001234" in notice and "À compléter" not in notice
    assert "CM2C, https://www.cm2c.net" in text_of(client.get("/conditions-generales-de-vente/", **request))


def test_the_demo_town_has_them_filled_and_linked_from_every_page(client):
    call_command("load_demo_town", shops=1, no_images=True, verbosity=0)
    identity = TownSettings.objects.get()
    assert_filled_pages(client, identity)
    assert "À compléter" not in text_of(client.get("/mentions-legales/"))
    product = get_model("catalogue", "Product").objects.first()
    for url in ["/", "/commerces/", "/boutique/catalogue/", product.get_absolute_url(), "/boutique/basket/",
                "/conditions-generales-de-vente/"]:
        links = footer_links(client, url)
        assert links["Mentions légales"] == "/mentions-legales/", url
        assert links["Conditions générales de vente"] == "/conditions-generales-de-vente/", url
        assert links["Politique de confidentialité"] == "/confidentialite/", url


def test_short_addresses_lead_to_the_pages(client):
    call_command("load_demo_town", shops=1, no_images=True, verbosity=0)
    response = client.get("/cgv/")
    assert response.status_code == 302 and response["Location"] == "/conditions-generales-de-vente/"
    assert client.get("/mentions-legales/").status_code == 200


def test_the_short_address_is_a_404_without_the_page(client):
    factories.build_site()
    assert client.get("/cgv/").status_code == 404


def test_an_old_checklist_page_gets_the_default_text(client):
    from shops_pages import skeleton

    home, _, _ = factories.build_site()
    home.add_child(instance=StandardPage(title="Mentions légales", slug="mentions-legales",
                                         introduction=skeleton.OLD_CHECKLIST_INTRODUCTION))
    skeleton.add_legal_pages(home)
    assert "Éditeur du site" in text_of(client.get("/mentions-legales/"))
    assert StandardPage.objects.filter(slug="mentions-legales").count() == 1


class TestAcceptingTheTerms:
    @pytest.fixture
    def shop(self, town):
        from shops_pages import skeleton
        from shops_pages.models import HomePage

        skeleton.add_legal_pages(HomePage.objects.get())
        return town

    def test_the_checkout_links_the_terms_in_its_checkbox(self, client, shop):
        add_to_basket(client, shop["comte"])
        page = client.get(reverse("checkout:index")).content.decode()
        box = re.search(r'<input[^>]+name="accept_terms"[^>]*>\s*<label[^>]*for="id_accept_terms"[^>]*>(.*?)</label>',
                        page, re.S)
        assert box, "no CGV checkbox with its label"
        assert "J&#x27;ai lu et j&#x27;accepte les" in box.group(1) or "J'ai lu et j'accepte les" in box.group(1)
        assert '<a href="/conditions-generales-de-vente/">conditions générales de vente</a>' in box.group(1)
        assert 'target=' not in box.group(1)  # same tab

    def test_without_ticking_the_terms_a_french_message_and_no_order(self, client, shop):
        add_to_basket(client, shop["comte"])
        data = checkout_data(client)
        del data["accept_terms"]
        response = client.post(reverse("checkout:index"), data)
        assert response.status_code == 200
        text = text_of(response)
        assert "Cochez « J'ai lu et j'accepte les conditions générales de vente » pour passer la commande." in text
        assert 'href="#id_accept_terms"' in response.content.decode()  # the summary leads to the box
        assert 'aria-describedby="id_accept_terms-help"' in response.content.decode()
        assert not Order.objects.exists()
        assert StockRecord.objects.get(product=shop["comte"]).num_allocated == 0

    def test_the_order_records_the_version_accepted_and_when(self, client, shop):
        version = legal.current_terms_version()
        assert version and "révision" in version
        add_to_basket(client, shop["comte"])
        response = client.post(reverse("checkout:index"), checkout_data(client))
        assert response.status_code == 302
        order = Order.objects.get()
        assert order.terms_version == version
        assert order.terms_accepted_at is not None and order.adult_confirmed_at is None

    def test_a_new_revision_of_the_terms_is_a_new_version(self, shop):
        before = legal.current_terms_version()
        page = legal.legal_page(legal.TERMS_SLUG)
        page.save_revision().publish()
        assert legal.current_terms_version() not in ("", before)


def test_association_staff_edit_the_pages_in_wagtail_and_a_merchant_cannot(client, team):
    from shops_pages import skeleton
    from shops_pages.models import HomePage

    skeleton.add_legal_pages(HomePage.objects.get())
    page = legal.legal_page(legal.TERMS_SLUG)
    client.force_login(team["staff"])
    edit = client.get(f"/admin/pages/{page.pk}/edit/")
    assert edit.status_code == 200 and "{mediateur}" in edit.content.decode()  # the placeholders, to keep
    client.force_login(team["alice"])
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code in (302, 403)


def test_a_setting_with_markup_is_shown_as_text_never_run(client):
    """fill_placeholders() marks the page safe: each value it puts in must be escaped."""
    new_town()
    identity = TownSettings.objects.get()
    identity.host_name = '<script>alert("x")</script>Hébergeur'
    identity.save()
    page = client.get("/mentions-legales/", HTTP_HOST="marche.example.fr", secure=True).content.decode()
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;Hébergeur" in page
