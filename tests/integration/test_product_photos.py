"""Merchants' product photos reach customers as thumbnails of the size the page shows
(made when the photo is uploaded), never as the original file."""
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from oscar.core.loading import get_model
from PIL import Image

from oscar_apps.catalogue import thumbnails
from tests import factories
from tests.integration.test_query_counts import count_queries, page_urls, town_with
from tests.support.images import photo

pytestmark = pytest.mark.django_db
ProductImage = get_model("catalogue", "ProductImage")


@pytest.fixture(autouse=True)
def _fresh_thumbnail_store():
    # sorl-thumbnail remembers thumbnails in the cache: forget other tests' media folders.
    cache.clear()
    yield
    cache.clear()


def media_images(html):
    """The pictures of a page that come from MEDIA_ROOT: (address, file on disk)."""
    found = []
    for src in re.findall(r'<img[^>]+src="([^"]+)"', html):
        if src.startswith(settings.MEDIA_URL):
            found.append((src, Path(settings.MEDIA_ROOT) / src[len(settings.MEDIA_URL):]))
    return found


def opened(path):
    picture = Image.open(io.BytesIO(path.read_bytes()))
    picture.load()
    return picture


@pytest.fixture
def big_photo(town):
    """A merchant's phone photo: 3000×2000 px."""
    return ProductImage.objects.create(product=town["comte"], original=photo("comte-telephone.jpg", size=(3000, 2000)),
                                       caption="Comté 18 mois")


def test_thumbnails_are_made_when_the_photo_is_uploaded(big_photo):
    made = [p for p in Path(settings.MEDIA_ROOT).rglob("*.jpg") if p != Path(big_photo.original.path)]
    assert made, "no thumbnail made at upload"
    assert max(opened(path).size[0] for path in made) <= 800


@pytest.mark.parametrize("where,widest", [("category", 600), ("catalogue", 600), ("product", 800)])
def test_a_3000_px_photo_is_shown_as_a_thumbnail(client, big_photo, where, widest):
    comte = big_photo.product
    url = {"category": factories.category("Fromages").get_absolute_url(), "catalogue": "/boutique/catalogue/",
           "product": comte.get_absolute_url()}[where]
    response = client.get(url)
    assert response.status_code == 200
    shown = media_images(response.content.decode())
    assert shown, f"no product photo on {url}"
    original_size = Path(big_photo.original.path).stat().st_size
    for src, path in shown:
        assert src != big_photo.original.url, "the original 3000 px file is sent to the phone"
        picture = opened(path)
        assert picture.size[0] <= widest, (src, picture.size)
        assert path.stat().st_size < original_size
        assert abs(picture.size[0] / picture.size[1] - (1 if where != "product" else 1.5)) < 0.02, picture.size


@pytest.fixture
def show_everything(settings):
    settings.OSCAR_PRODUCTS_PER_PAGE = 48
    settings.TOWNMARKET_SHOP_PRODUCTS_PER_PAGE = 48
    settings.PAGE_CACHE_SECONDS = 0  # the rendering's queries, not the page cache's (townmarket.page_cache)


def with_photos(products):
    for product in products:
        ProductImage.objects.create(product=product, original=photo(f"{product.slug}.jpg", size=(640, 480)))


@pytest.mark.parametrize("page", ["catalogue", "category", "vitrine", "home"])
def test_thumbnails_add_no_query_per_product(client, show_everything, page):
    shop, items = town_with(12)
    with_photos(items)
    small, small_response = count_queries(client, page_urls(shop, items)[page])
    with_photos(factories.products(shop, 36, category_name="Épicerie fine"))
    large, large_response = count_queries(client, page_urls(shop, items)[page])
    assert len(media_images(large_response.content.decode())) >= len(media_images(small_response.content.decode())) > 0
    assert large == small, f"{page}: {small} queries with 12 photos, {large} with 48"


@pytest.mark.parametrize("where", ["list", "form"])
def test_the_back_office_shows_thumbnails_not_the_originals(client, team, big_photo, where):
    from django.urls import reverse

    client.force_login(team["alice"])
    url = {"list": reverse("backoffice_products"),
           "form": reverse("backoffice_product_edit", args=[big_photo.product.pk])}[where]
    response = client.get(url)
    assert response.status_code == 200
    shown = media_images(response.content.decode())
    assert shown, f"no product photo on {url}"
    for src, path in shown:
        assert src != big_photo.original.url
        assert opened(path).size[0] <= 200


def test_thumbnails_go_to_the_media_storage_as_configured_with_its_options(client, settings, town, tmp_path):
    """The object storage is configured by STORAGES' OPTIONS (bucket, endpoint, public
    address): thumbnails are written there and named by its address, also when found
    again in sorl's key-value store (a storage configured the same way, on disk here)."""
    elsewhere = tmp_path / "ailleurs"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": elsewhere, "base_url": "/medias-publics/"}}}
    ProductImage.objects.create(product=town["comte"], original=photo("comte-stockage.jpg", size=(1600, 1200)))
    for attempt in ("made", "found again"):
        page = client.get(town["comte"].get_absolute_url()).content.decode()
        shown = [src for src in re.findall(r'<img[^>]+src="([^"]+)"', page)
                 if src.startswith(("/medias-publics/", settings.MEDIA_URL))]
        assert shown and all(src.startswith("/medias-publics/") for src in shown), (attempt, shown)
        for src in shown:
            assert opened(elsewhere / src[len("/medias-publics/"):]).size[0] <= 800, attempt
        thumbnails._known.clear()  # the next time, as another worker: from sorl's key-value store


def test_with_the_caches_in_the_database_photos_add_no_cache_query_per_card(client, settings, town):
    """Production without Redis keeps its caches in the database: finding a card's
    thumbnail must not cost one SQL query per card (tests/integration/test_cache_lookups.py)."""
    from tests.integration.test_cache_lookups import DATABASE_CACHES, cache_queries

    settings.CACHES = DATABASE_CACHES
    category = town["comte"].categories.get()
    with_photos([town["comte"], town["epoisses"]])
    few = cache_queries(client, category.get_absolute_url())
    with_photos(factories.products(town["cheese"], 10, category_name=category.name))
    many = cache_queries(client, category.get_absolute_url())
    page = client.get(category.get_absolute_url()).content.decode()
    assert len(media_images(page)) == 12
    assert many == few, f"{few} cache queries for 2 photos, {many} for 12"
