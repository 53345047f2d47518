"""`make run` loads the demo town; a second run adds nothing."""
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from oscar.core.loading import get_model

from shops_pages.models import NewsPage, ShopPage

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductImage = get_model("catalogue", "ProductImage")


def test_the_demo_town_is_complete_and_loading_it_twice_duplicates_nothing(client):
    call_command("load_demo_town", verbosity=0)
    counts = (ShopPage.objects.count(), Product.objects.count(), Category.objects.count(), NewsPage.objects.count())
    assert counts[0] >= 20 and counts[1] >= 740 and counts[2] >= 15 and counts[3] >= 3
    assert ProductImage.objects.count() == counts[1]
    # a massage is a service (done at the shop); the institute's cream is a product to collect or deliver
    assert not Product.objects.get(title="Massage relaxant 1 h").get_product_class().requires_shipping
    assert Product.objects.get(title="Crème hydratante 1 h").get_product_class().requires_shipping
    # every vitrine shows its place on OpenStreetMap
    assert not ShopPage.objects.filter(latitude__isnull=True).exists()
    assert "Voir sur la carte (OpenStreetMap)" in client.get("/commerces/cave-morey/").content.decode()
    assert set(get_user_model().objects.values_list("username", flat=True)) >= {
        "admin", "association", "fabienne", "bertrand", "helene"}

    call_command("load_demo_town", verbosity=0)
    assert (ShopPage.objects.count(), Product.objects.count(), Category.objects.count(),
            NewsPage.objects.count()) == counts

    assert client.get("/").status_code == 200
    assert "747 produits trouvés" in client.get("/boutique/catalogue/").content.decode()
    assert client.get("/commerces/cave-morey/").status_code == 200
