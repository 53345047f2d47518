"""The town's identity (TownSettings: name, colour, contact…), shown on every page, is
read from the shared cache rather than the database on each rendered page, per town,
under the page cache's generation: an edit shows on the next page (issue 19, item 1)."""
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Site

from townmarket.models import TownSettings

pytestmark = pytest.mark.django_db


def test_a_rendered_page_reads_the_town_from_the_cache_and_an_edit_shows_at_once(town):
    url = reverse("basket:summary")  # rendered for every visitor (no page cache)
    Client().get(url)  # the town's settings are written on the first visit ever
    Client().get(url)
    with CaptureQueriesContext(connection) as queries:
        page = Client().get(url).content.decode()
    assert not [q["sql"] for q in queries if "townmarket_townsettings" in q["sql"]]
    identity = TownSettings.for_site(Site.objects.get(is_default_site=True))
    assert identity.name in page
    identity.name, identity.phone = "Le marché de Sombernon", "03 80 99 99 99"
    identity.save()
    page = Client().get(url).content.decode()
    assert "Le marché de Sombernon" in page and "03 80 99 99 99" in page
