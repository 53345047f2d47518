"""« Déclaration d'accessibilité » (RGAA form): every town has one from its first day
(new_town, load_demo_town), linked from every page's footer, with the association's
contact as it is in Paramètres → Identité du marché."""
import html
import re

import pytest
from django.core.management import call_command

from shops_pages import skeleton
from tests import factories
from tests.integration.test_new_town import OPTIONS, new_town
from townmarket.models import TownSettings

pytestmark = pytest.mark.django_db
URL = "/accessibilite/"


def text_of(response):
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def footer_link(client, url="/"):
    page = client.get(url).content.decode()
    footer = page[page.index("<footer"):]
    match = re.search(r'<a[^>]+href="([^"]+)"[^>]*>\s*Accessibilité : partiellement conforme\s*</a>', footer)
    assert match, "no « Accessibilité : partiellement conforme » link in the footer"
    return match.group(1)


def assert_statement(client, identity):
    response = client.get(URL)
    assert response.status_code == 200
    text = text_of(response)
    assert "Déclaration d’accessibilité" in text or "Déclaration d'accessibilité" in text
    assert "partiellement conforme" in text
    assert "RGAA" in text and "axe-core" in text
    assert skeleton.ACCESSIBILITY_AUDIT["date_text"] in text  # when the audit was made
    assert "Contenus non accessibles" in text
    assert identity.phone in text and identity.email in text and identity.association_name in text
    assert "Défenseur des droits" in text
    assert f'href="tel:{identity.phone.replace(" ", "")}"' in response.content.decode()
    return text


def test_new_town_publishes_the_statement_with_the_associations_phone(client):
    new_town()
    identity = TownSettings.objects.get()
    assert identity.phone == OPTIONS["phone"]
    assert_statement(client, identity)
    assert footer_link(client) == URL
    assert footer_link(client, "/boutique/catalogue/") == URL  # Oscar's pages too


def test_the_demo_town_publishes_the_statement_once(client):
    call_command("load_demo_town", shops=1, no_images=True, verbosity=0)
    call_command("load_demo_town", shops=1, no_images=True, verbosity=0)
    assert_statement(client, TownSettings.objects.get())
    assert footer_link(client) == URL


def test_the_statement_follows_the_associations_contact_when_it_changes(client):
    home, _, _ = factories.build_site()
    skeleton.add_legal_pages(home)
    identity = TownSettings.objects.get_or_create(site=home.get_site())[0]
    identity.phone, identity.email = "04 73 98 76 54", "accueil@commerces-riom.fr"
    identity.save()
    text = assert_statement(client, identity)
    assert "03 80 00 00 00" not in text
