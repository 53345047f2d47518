import os

import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    """The private storage (import uploads…) in the test's own folder; changing
    STORAGES resets django's `storages` cache (setting_changed)."""
    private = settings.STORAGES["private"]
    settings.STORAGES = {**settings.STORAGES,
                         "private": {**private, "OPTIONS": {**private.get("OPTIONS", {}), "location": tmp_path / "private"}}}


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Anonymous visitors' pages (townmarket.page_cache) kept in this process's memory
    in tests: none from an earlier test."""
    from django.core.cache import caches

    caches["pages"].clear()


@pytest.fixture(autouse=True)
def _fresh_site_root_paths():
    """Wagtail keeps its list of Sites in the default cache and forgets it when a Site is
    saved or deleted; a test's rollback or flush deletes none: no list from an earlier test."""
    from wagtail.models import Site

    Site.clear_site_root_paths_cache()


@pytest.fixture
def town(db):
    """Two shops with products: a cheese shop and a bookshop."""
    factories.build_site()
    cheese = factories.shop("Fromagerie Test", kind="Fromagerie")
    books = factories.shop("Librairie Test", kind="Librairie", is_food=False)
    return {
        "cheese": cheese,
        "books": books,
        "comte": factories.product(cheese, title="Comté 18 mois", price="12.40", stock=5),
        "epoisses": factories.product(cheese, title="Époisses", price="9.80", stock=5),
        "novel": factories.product(books, title="Roman policier", price="8.90", stock=3,
                                   category_name="Livres", vat_rate="5.5"),
    }


ON_POSTGRES = os.environ.get("DATABASE_URL", "").split(":")[0] in {"postgres", "postgresql", "pgsql"}

requires_postgres = pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL: SQLite serialises writers")


def pytest_collection_modifyitems(config, items):
    """The browser journeys run once, on SQLite (the demo's and the embedded default's
    database): in Chromium they test pages, not the database, which the integration
    tests cover on both. A browser test marked `postgres` still runs on PostgreSQL."""
    if not ON_POSTGRES:
        return
    once = pytest.mark.skip(reason="browser journeys run once, on SQLite")
    for item in items:
        if "browser" in item.keywords and "postgres" not in item.keywords:
            item.add_marker(once)


@pytest.fixture
def team(town):
    """Alice runs the cheese shop, Bob the bookshop; plus association staff and a volunteer."""
    from backoffice import roles

    return {
        "alice": factories.merchant(town["cheese"], "alice"),
        "bob": factories.merchant(town["books"], "bob"),
        "staff": factories.role_user(roles.ASSOCIATION, "lara"),
        "volunteer": factories.role_user(roles.VOLUNTEERS, "paul"),
    }
