"""The paper flyer and the shops' window posters (issue 17, item 6): PDFs from live
data, with real text, an embedded font, accents intact and QR codes that lead to the
right pages."""
import io

import pypdfium2
import pytest
import zxingcpp
from django.urls import reverse
from pypdf import PdfReader
from wagtail.models import Site

from tests import factories
from townmarket.absolute_urls import absolute_url
from townmarket.models import TownSettings

pytestmark = pytest.mark.django_db

PHONE = "04 66 22 68 88"


@pytest.fixture
def shops(town, team):
    grocery = factories.shop("Épicerie du Marché", kind="Épicerie")
    draft = factories.shop("Boucherie Pas Encore", kind="Boucherie", live=False)
    identity = TownSettings.for_site(Site.objects.get(is_default_site=True))
    identity.phone, identity.email = PHONE, "bonjour@commercants.example.org"
    identity.association_name = "Association des commerçants d'Uzès"
    identity.save()
    return {"live": [town["cheese"], town["books"], grocery], "draft": draft}


def text_of(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def qr_codes(content):
    document = pypdfium2.PdfDocument(content)
    return [code.text for page in document for code in zxingcpp.read_barcodes(page.render(scale=3).to_pil())]


def fonts(content):
    """Every font the PDF's pages use: (base name, embedded TrueType file or not)."""
    found = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            found.add((str(font["/BaseFont"]), bool(descriptor and "/FontFile2" in descriptor.get_object())))
    return found


def flyer(client, size="A4"):
    return client.get(reverse("backoffice_flyer"), {"format": size})


@pytest.mark.parametrize("size, width_mm", [("A4", 210), ("A5", 148)])
def test_the_flyer_lists_every_live_shop_by_kind_with_the_phone_and_qr_codes(client, team, shops, size, width_mm):
    client.force_login(team["staff"])
    response = flyer(client, size)

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.content
    reader = PdfReader(io.BytesIO(content))
    assert round(float(reader.pages[0].mediabox.width) / 72 * 25.4) == width_mm
    text = text_of(content)
    for shop in shops["live"]:
        assert shop.title in text and shop.phone in text
    assert "Boucherie Pas Encore" not in text
    for kind in ("Épicerie", "Fromagerie", "Librairie"):  # the headings, accents intact
        assert kind in text
    assert "1 rue du Test, 21130 Val-sur-Ouche" in text and "Mardi 09h00–12h30" in text
    assert PHONE in text and "bonjour@commercants.example.org" in text and "Association des commerçants d'Uzès" in text
    assert fonts(content) and all(embedded for _name, embedded in fonts(content))
    expected = {absolute_url("/")} | {absolute_url(shop.url) for shop in shops["live"]}
    assert set(qr_codes(content)) == expected
    assert all(code.startswith("http://") or code.startswith("https://") for code in expected)


def test_the_flyer_refuses_an_unknown_size_and_merchants(client, team, shops):
    client.force_login(team["staff"])
    assert flyer(client, "A3").status_code == 404
    client.force_login(team["alice"])
    assert flyer(client).status_code in (302, 403)
    client.logout()
    assert flyer(client).status_code == 302


def test_the_window_poster_of_a_shop(client, team, shops):
    cheese, books = shops["live"][0], shops["live"][1]
    client.force_login(team["staff"])
    response = client.get(reverse("backoffice_poster", args=[cheese.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1 and round(float(reader.pages[0].mediabox.width) / 72 * 25.4) == 210
    text = text_of(response.content)
    assert "Fromagerie Test" in text and "Commandez en ligne" in text
    assert absolute_url("/").rstrip("/").split("://")[1] in text
    assert qr_codes(response.content) == [absolute_url(cheese.url)]
    assert all(embedded for _name, embedded in fonts(response.content))

    client.force_login(team["alice"])  # her own shop's, not Bob's
    assert client.get(reverse("backoffice_poster", args=[cheese.pk])).status_code == 200
    assert client.get(reverse("backoffice_poster", args=[books.pk])).status_code == 404
    assert client.get(reverse("backoffice_poster", args=[shops["draft"].pk])).status_code == 404
    assert client.get(reverse("backoffice_poster", args=[999999])).status_code == 404


def test_the_page_offers_the_flyer_to_staff_and_her_poster_to_a_merchant(client, team, shops):
    client.force_login(team["staff"])
    page = client.get(reverse("backoffice_print")).content.decode()
    assert reverse("backoffice_flyer") + "?format=A5" in page
    assert reverse("backoffice_poster", args=[shops["live"][2].pk]) in page
    client.force_login(team["alice"])
    page = client.get(reverse("backoffice_print")).content.decode()
    assert reverse("backoffice_flyer") not in page
    assert reverse("backoffice_poster", args=[shops["live"][0].pk]) in page
    assert reverse("backoffice_poster", args=[shops["live"][1].pk]) not in page
