"""`make run` loads the demo: two towns, Val-sur-Ouche and Saint-Jean-de-Losne, each on
its own host name; a second run adds nothing."""
import html

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from oscar.core.loading import get_model
from wagtail.models import Site

from backoffice import roles
from shops_pages.models import NewsPage, ShopPage
from townmarket.models import TownSettings

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")
Category = get_model("catalogue", "Category")
ProductImage = get_model("catalogue", "ProductImage")


VAL = "val-sur-ouche.localhost:8000"
SAINT_JEAN = "saint-jean.localhost:8000"


def test_the_demo_has_two_towns_and_loading_it_twice_duplicates_nothing(client, monkeypatch):
    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    call_command("load_demo_town", verbosity=0)
    counts = (ShopPage.objects.count(), Product.objects.count(), Category.objects.count(), NewsPage.objects.count(),
              Site.objects.count())
    assert counts[0] >= 26 and counts[1] >= 780 and counts[2] >= 15 and counts[3] >= 5
    assert ProductImage.objects.count() == counts[1]
    # a massage is a service (done at the shop); the institute's cream is a product to collect or deliver
    assert not Product.objects.get(title="Massage relaxant 1 h").get_product_class().requires_shipping
    assert Product.objects.get(title="Crème hydratante 1 h").get_product_class().requires_shipping
    # every vitrine shows its place on OpenStreetMap
    assert not ShopPage.objects.filter(latitude__isnull=True).exists()
    assert "Voir sur la carte (OpenStreetMap)" in client.get("/commerces/cave-morey/", HTTP_HOST=VAL).content.decode()
    assert set(get_user_model().objects.values_list("username", flat=True)) >= {
        "admin", "association", "fabienne", "bertrand", "helene", "lucie"}

    # two towns, each a Site on its own .localhost name at make run's port; the first is the default
    val = Site.objects.get(is_default_site=True)
    saint_jean = Site.objects.get(hostname="saint-jean.localhost")
    assert (val.hostname, val.port, saint_jean.port) == ("val-sur-ouche.localhost", 8000, 8000)
    assert Partner.objects.filter(town=saint_jean).count() == 6
    assert set(Partner.objects.filter(shop_page__isnull=False).values_list("town", flat=True)) == {val.pk, saint_jean.pk}
    assert TownSettings.for_site(saint_jean).primary_colour != TownSettings.for_site(val).primary_colour
    lucie = get_user_model().objects.get(username="lucie")
    assert list(roles.managed_towns(lucie)) == [saint_jean]

    call_command("load_demo_town", verbosity=0)
    assert (ShopPage.objects.count(), Product.objects.count(), Category.objects.count(),
            NewsPage.objects.count(), Site.objects.count()) == counts

    def page(path, host):
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200, (path, host)
        return html.unescape(response.content.decode())

    home = page("/", VAL)
    assert "Le marché de Val-sur-Ouche" in home and "Saint-Jean" not in home
    assert "747 produits trouvés" in page("/boutique/catalogue/", VAL)
    assert "Cave Morey" in page("/commerces/", VAL) and "Cave de la Saône" not in page("/commerces/", VAL)

    home = page("/", SAINT_JEAN)
    assert "Le marché de Saint-Jean-de-Losne" in home and "--town-colour: #1d4e89" in home
    assert "Val-sur-Ouche" not in home
    directory = page("/commerces/", SAINT_JEAN)
    assert "Cave de la Saône" in directory and "Boulangerie du Port" in directory and "Cave Morey" not in directory
    assert "Saint-Jean-de-Losne ouvre son marché en ligne" in page("/actualites/", SAINT_JEAN)
    # make run's 127.0.0.1:8000 leads to the first town (the default Site), never to the second
    by_address = client.get("/", HTTP_HOST="127.0.0.1:8000", follow=True)
    assert by_address.status_code == 200 and "<title>Le marché de Val-sur-Ouche</title>" in html.unescape(
        by_address.content.decode())
    for path in ["/mentions-legales/", "/accessibilite/"]:
        assert "Les commerçants du port de Saint-Jean-de-Losne" in page(path, SAINT_JEAN)


def test_a_quick_load_for_tests_is_one_town():
    """--shops N: the first N shops of Val-sur-Ouche only (tests and the benchmark)."""
    call_command("load_demo_town", shops=1, no_images=True, verbosity=0)
    assert Site.objects.count() == 1 and ShopPage.objects.count() == 1
