"""Found by search engines and shared well: sitemap.xml, robots.txt, JSON-LD
(LocalBusiness, Product and Offer, BreadcrumbList), Open Graph and Twitter tags, meta
descriptions, and a vitrine's place on OpenStreetMap."""
import json
import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.exceptions import ValidationError
from oscar.core.loading import get_model
from wagtail.models import PageViewRestriction

from shops_pages.models import ShopPage, StandardPage
from tests import factories
from tests.support.images import photo

pytestmark = pytest.mark.django_db
SITE = "http://localhost"  # the test Site's address (tests/factories.SITE_ADDRESS), never the Host header
ProductImage = get_model("catalogue", "ProductImage")


def sitemap_locations(client):
    response = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(b"".join(response.streaming_content) if response.streaming else response.content)
    if root.tag.endswith("sitemapindex"):
        locations = []
        for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
            part = client.get(loc.text.replace(SITE, ""), HTTP_HOST="127.0.0.1")
            assert part.status_code == 200, loc.text
            locations += [el.text for el in ElementTree.fromstring(part.content).iter(
                "{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
        return locations
    return [el.text for el in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]


def json_ld(response):
    html = response.content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    found = []
    for block in blocks:
        data = json.loads(block)
        found += data if isinstance(data, list) else [data]
    return found


def of_type(items, kind):
    return [item for item in items if item.get("@type") == kind]


def meta(response, attribute, name):
    html = response.content.decode()
    match = re.search(r'<meta %s="%s" content="([^"]*)"' % (attribute, re.escape(name)), html)
    return match.group(1) if match else None


def test_the_sitemap_lists_public_pages_shops_and_products_only(client, town):
    home, shop_index, news_index = factories.build_site()
    draft = factories.shop("Boutique en préparation", live=False)
    hidden_product = factories.product(town["cheese"], title="Produit retiré")
    hidden_product.is_public = False
    hidden_product.save()
    private = home.add_child(instance=StandardPage(title="Réservé aux membres", slug="membres"))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    locations = sitemap_locations(client)

    assert f"{SITE}/" in locations
    assert f"{SITE}/commerces/" in locations
    assert f"{SITE}{town['cheese'].url}" in locations
    assert f"{SITE}{town['comte'].get_absolute_url()}" in locations
    assert f"{SITE}{town['novel'].get_absolute_url()}" in locations
    assert all(location.startswith(SITE + "/") for location in locations)  # the Site's address, not the Host's
    assert f"{SITE}{hidden_product.get_absolute_url()}" not in locations
    assert not any(draft.slug in location for location in locations)
    assert not any("membres" in location for location in locations)


def test_robots_txt_allows_the_shop_and_points_at_the_sitemap(client, town):
    response = client.get("/robots.txt", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    for private in ("/admin/", "/django-admin/", "/boutique/basket/", "/boutique/checkout/", "/boutique/accounts/",
                    "/boutique/dashboard/"):
        assert f"Disallow: {private}" in lines
    assert "Disallow: /" not in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


def test_a_vitrine_describes_its_shop_as_a_local_business(client, town):
    shop = town["cheese"]
    shop.introduction = "Fromages affinés dans nos caves depuis 1950."
    shop.latitude, shop.longitude = Decimal("47.192600"), Decimal("5.384000")
    shop.save_revision().publish()

    response = client.get(shop.url)
    items = json_ld(response)
    (business,) = of_type(items, "LocalBusiness")
    assert business["@context"] == "https://schema.org"
    assert business["name"] == "Fromagerie Test"
    assert business["url"] == SITE + shop.url
    assert business["telephone"] == "03 80 00 00 00"
    assert business["address"] == {"@type": "PostalAddress", "streetAddress": "1 rue du Test", "postalCode": "21130",
                                   "addressLocality": "Val-sur-Ouche", "addressCountry": "FR"}
    assert business["openingHoursSpecification"] == [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": "https://schema.org/Tuesday", "opens": "09:00",
         "closes": "12:30"}]
    assert business["geo"] == {"@type": "GeoCoordinates", "latitude": 47.1926, "longitude": 5.384}
    assert business["description"] == "Fromages affinés dans nos caves depuis 1950."
    (crumbs,) = of_type(items, "BreadcrumbList")
    assert [(c["position"], c["name"], c["item"]) for c in crumbs["itemListElement"]] == [
        (1, "Le marché de test", SITE + "/"), (2, "Les commerces", SITE + "/commerces/"),
        (3, "Fromagerie Test", SITE + shop.url)]
    assert meta(response, "name", "description") == "Fromages affinés dans nos caves depuis 1950."


def test_a_product_page_has_product_offer_and_breadcrumbs(client, town):
    comte = town["comte"]
    response = client.get(comte.get_absolute_url())
    items = json_ld(response)
    (product,) = of_type(items, "Product")
    assert product["name"] == "Comté 18 mois"
    assert product["url"] == SITE + comte.get_absolute_url()
    assert product["description"] == "Description de Comté 18 mois"
    assert product["sku"] == comte.stockrecords.get().partner_sku
    offer = product["offers"]
    assert offer["@type"] == "Offer"
    assert offer["price"] == "12.40" and offer["priceCurrency"] == "EUR"
    assert offer["availability"] == "https://schema.org/InStock"
    assert offer["seller"] == {"@type": "LocalBusiness", "name": "Fromagerie Test", "url": SITE + town["cheese"].url}
    (crumbs,) = of_type(items, "BreadcrumbList")
    names = [c["name"] for c in crumbs["itemListElement"]]
    assert names == ["Le marché de test", "Fromages", "Comté 18 mois"]
    assert crumbs["itemListElement"][-1]["item"] == SITE + comte.get_absolute_url()

    comte.stockrecords.update(num_in_stock=0)
    (product,) = of_type(json_ld(client.get(comte.get_absolute_url())), "Product")
    assert product["offers"]["availability"] == "https://schema.org/OutOfStock"


def test_json_ld_cannot_be_broken_out_of(client, town):
    shop = town["cheese"]
    shop.introduction = 'Chez nous </script><script>alert("x")</script> & <b>fromages</b>'
    shop.save_revision().publish()
    response = client.get(shop.url)
    html = response.content.decode()
    assert '<script>alert("x")</script>' not in html
    (business,) = of_type(json_ld(response), "LocalBusiness")
    assert business["description"] == shop.introduction  # the same text, safely escaped


def test_pages_share_well_with_open_graph_and_twitter_tags(client, town):
    comte = town["comte"]
    ProductImage.objects.create(product=comte, original=photo("comte.jpg", size=(800, 600)),
                                display_order=0)
    response = client.get(comte.get_absolute_url())
    assert meta(response, "property", "og:title") == "Comté 18 mois"
    assert meta(response, "property", "og:type") == "product"
    assert meta(response, "property", "og:url") == SITE + comte.get_absolute_url()
    assert meta(response, "property", "og:description") == "Description de Comté 18 mois"
    assert meta(response, "property", "og:locale") == "fr_FR"
    image = meta(response, "property", "og:image")
    assert image.startswith(SITE + "/") and image.endswith(".jpg")
    assert default_storage.exists(image.replace(SITE + settings.MEDIA_URL, ""))  # a thumbnail made for it
    assert "comte" not in image  # not the original upload
    assert meta(response, "name", "twitter:card") == "summary_large_image"
    assert meta(response, "name", "twitter:image") == image
    assert meta(response, "name", "description") == "Description de Comté 18 mois"

    home = client.get("/")
    assert meta(home, "property", "og:type") == "website"
    assert meta(home, "property", "og:url") == SITE + "/"
    assert meta(home, "property", "og:site_name")
    assert meta(home, "name", "twitter:card") in {"summary", "summary_large_image"}


def test_a_vitrine_shows_its_place_on_openstreetmap_when_the_merchant_set_it(client, town):
    shop = town["cheese"]
    assert "openstreetmap.org" not in client.get(shop.url).content.decode()
    shop.latitude, shop.longitude = Decimal("47.192600"), Decimal("5.384000")
    shop.save_revision().publish()
    html = client.get(shop.url).content.decode()
    assert ('href="https://www.openstreetmap.org/?mlat=47.192600&amp;mlon=5.384000#map=18/47.192600/5.384000"'
            in html)
    assert "Voir sur la carte (OpenStreetMap)" in html
    assert "<iframe" not in html and "tile.openstreetmap" not in html  # nothing fetched from another site


@pytest.mark.parametrize("latitude, longitude, field", [
    (Decimal("91"), Decimal("5"), "latitude"),
    (Decimal("-90.5"), Decimal("5"), "latitude"),
    (Decimal("47"), Decimal("181"), "longitude"),
    (Decimal("47"), None, "longitude"),
    (None, Decimal("5"), "latitude"),
])
def test_coordinates_out_of_range_or_alone_are_refused(town, latitude, longitude, field):
    shop = ShopPage.objects.get(pk=town["cheese"].pk)
    shop.latitude, shop.longitude = latitude, longitude
    with pytest.raises(ValidationError) as refused:
        shop.full_clean()
    assert field in refused.value.message_dict


def test_the_editor_has_the_coordinates_and_reads_a_french_comma(town):
    edit_handler = ShopPage.get_edit_handler()
    form_class = edit_handler.get_form_class()
    assert {"latitude", "longitude"} <= set(form_class.base_fields)
    field = form_class.base_fields["latitude"]
    assert field.clean("47,1926") == Decimal("47.1926")


def test_before_any_site_exists_nothing_fails(client, db):
    """A fresh install (no Wagtail Site yet): robots.txt without a sitemap, no sitemap,
    and the shop's pages still answer."""
    from wagtail.models import Site

    Site.objects.all().delete()
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and "Sitemap:" not in robots.content.decode()
    assert client.get("/sitemap.xml").status_code == 404
    assert client.get("/boutique/catalogue/").status_code == 200


def test_a_vitrine_without_introduction_is_described_from_its_kind_and_address(client, town):
    response = client.get(town["cheese"].url)
    assert meta(response, "name", "description") == (
        "Fromagerie à Val-sur-Ouche, 1 rue du Test : horaires, téléphone et produits à commander en ligne.")


def test_the_page_editor_shows_the_coordinates(admin_client, town):
    html = admin_client.get(f"/admin/pages/{town['cheese'].pk}/edit/").content.decode()
    assert 'name="latitude"' in html and 'name="longitude"' in html
    assert "openstreetmap.org" in html  # the help text says where to find them
