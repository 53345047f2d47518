"""Two app servers, one PostgreSQL and one cache (issue 15, "scale out"): two gunicorn
servers (`gunicorn -c gunicorn.conf.py`, production settings, 2 workers each) on two
ports share the test's database and a Redis database (then, second run, no Redis: the
database's cache table, production's cache without REDIS_URL). One visitor, keeping its cookies,
goes from one server to the other as a load balancer would send it:

- a basket filled on A is seen on B; signed in on B, the visitor is signed in on A;
- a category renamed (name and slug), Wagtail pages published (a vitrine's title, the
  home page's slug, which moves every page's path) and the town's name changed in its
  site settings show on both servers at once, with links that lead to the pages;
- an anonymous visitor's pages come from the page cache both share, and a price changed
  here shows on both at once (townmarket.page_cache);
- the password-reset limit counts the requests of both servers together;
- server A is killed (SIGKILL, master and workers) between the checkout page and its
  « Valider »: the form goes to B, with the same session and basket, and the order is
  placed once, even when the visitor sends it again.

Any state kept in one process (a cache in local memory, a memoised value that can
change) makes one of these fail."""
import os
import re
from urllib.parse import quote

import pytest
import requests
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from oscar.core.loading import get_model
from wagtail.models import Site

from shops_pages.models import HomePage, ShopPage
from townmarket.models import TownSettings
from tests import factories
from tests.conftest import requires_postgres
from tests.support.servers import GunicornServer, collectstatic, form_fields

Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

REDIS_URL = "redis://127.0.0.1:6379/13"  # a Redis database of this test's own, flushed before and after
RESET_LIMIT = 4  # PASSWORD_RESET_LIMIT_PER_HOUR of the servers
PASSWORD = "mot-de-passe-de-test-2026"
STRONG_SECRET = "deux-serveurs-une-base-" + "k3Y9-qP2x-Lm7w-Rt5z-Vb8n-Hc4j-Gd6f"


class Visitor:
    """One browser (one cookie jar for 127.0.0.1, whatever the port) behind a load
    balancer: each request goes to the server named, or, when that one does not answer
    (connection refused), to the next one, as a balancer retries."""

    def __init__(self, servers):
        self.servers = servers
        self.session = requests.Session()
        self.session.trust_env = False  # nothing between the test and 127.0.0.1
        self.served_by = []

    def request(self, method, server, path, **kwargs):
        order = [server] + [other for other in self.servers if other is not server]
        for candidate in order:
            try:
                response = self.session.request(method, candidate.url + path, allow_redirects=False,
                                                timeout=20, **kwargs)
            except requests.ConnectionError:
                continue
            self.served_by.append(candidate.name)
            return response
        raise AssertionError(f"no server answered {method} {path}")

    def get(self, server, path):
        response = self.request("GET", server, path)
        assert response.status_code == 200, (server.name, path, response.status_code, response.text[:1000],
                                             "\n".join(s.log() for s in self.servers))
        return response

    def form(self, server, path, **find):
        page = self.get(server, path)
        form = BeautifulSoup(page.text, "html.parser").find("form", **find)
        assert form is not None, (path, find, page.text[:2000])
        return form_fields(form), form.get("action") or path

    def post(self, server, path, data):
        return self.request("POST", server, path, data=data, headers={"Referer": server.url + path})


def database_url(db):
    """The test database, for the servers (the one pytest-django created: test_…)."""
    credentials = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def text_of(response):
    return " ".join(BeautifulSoup(response.text, "html.parser").get_text(" ").split())


def links(response):
    return [a.get("href") for a in BeautifulSoup(response.text, "html.parser").find_all("a")]


def add_to_basket(visitor, server, product):
    data, action = visitor.form(server, product.get_absolute_url(),
                                action=reverse("basket:add", kwargs={"pk": product.pk}))
    added = visitor.post(server, action, {**data, "quantity": "1"})
    if added.status_code == 403:  # a cached page carries no token: asked once more (townmarket.page_cache)
        again = BeautifulSoup(added.text, "html.parser").find("form", action=action)
        assert again is not None, added.text[:1000]
        added = visitor.post(server, action, form_fields(again))
    assert added.status_code == 302, added.text[:1000]


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """The static files, collected once for both runs (production settings need them)."""
    folder = tmp_path_factory.mktemp("two_servers") / "static"
    collectstatic({**os.environ, "DJANGO_SETTINGS_MODULE": "tests.support.two_servers_settings",
                   "SECRET_KEY": STRONG_SECRET}, folder)
    return folder


# The cache every server shares: Redis when REDIS_URL is set, else the database table
# (production's "default" and "shared" caches without Redis).
SHARED_CACHES = {
    "redis": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "townmarket_cache"},
}
# Anonymous visitors' pages (townmarket.page_cache): in Redis, else in their own table.
PAGE_CACHES = {
    "redis": SHARED_CACHES["redis"],
    "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "townmarket_page_cache"},
}


@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # committed: the servers see the town
@pytest.mark.parametrize("shared_cache", ["redis", "database"])
def test_two_servers_share_sessions_baskets_caches_limits_and_survive_one_killed(
        shared_cache, static_root, tmp_path, settings):
    # This process edits the town as a third server would: on the servers' cache, so that
    # Oscar's and Wagtail's own invalidations reach it.
    settings.CACHES = {**{name: SHARED_CACHES[shared_cache] for name in ("default", "shared")},
                       "pages": PAGE_CACHES[shared_cache]}
    call_command("createcachetable")  # the servers' tables, as `make serve-production` makes them
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # what production reads
    caches["default"].clear()  # Redis: FLUSHDB of database 13

    factories.build_site()
    cheese = factories.shop("Fromagerie du Lavoir", kind="Fromagerie")
    books = factories.shop("Librairie des Halles", kind="Librairie", is_food=False)
    comte = factories.product(cheese, title="Comté 24 mois", price="14.20", stock=20, category_name="Crèmerie")
    novel = factories.product(books, title="Roman du terroir", price="8.90", stock=20, category_name="Livres")
    pressed = Category.objects.get(name="Crèmerie").add_child(name="Pâtes pressées", slug="pates-pressees",
                                                             is_public=True)
    ProductCategory.objects.filter(product=comte).update(category=pressed)
    helene = get_user_model().objects.create_user("helene", "helene@example.org", first_name="Hélène",
                                                  last_name="Jourdan")
    helene.password = make_password(PASSWORD)
    helene.save()

    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8",
           "PYTHONPATH": "site:.", "DJANGO_SETTINGS_MODULE": "tests.support.two_servers_settings",
           "TWO_SERVERS_STATIC_ROOT": str(static_root),
           "DATABASE_URL": database_url(connection.settings_dict),
           "REDIS_URL": REDIS_URL if shared_cache == "redis" else "",
           "SECRET_KEY": STRONG_SECRET, "ALLOWED_HOSTS": "127.0.0.1,localhost",
           "PASSWORD_RESET_LIMIT_PER_HOUR": str(RESET_LIMIT), "PRIVATE_MEDIA_ROOT": str(tmp_path / "private")}
    a = GunicornServer("A", env, tmp_path)
    b = GunicornServer("B", env, tmp_path)
    servers = [a, b]
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()
        visitor = Visitor(servers)

        # A basket filled on A is the basket on B.
        add_to_basket(visitor, a, comte)
        assert "Comté 24 mois" in text_of(visitor.get(b, reverse("basket:summary")))

        # Signed in on B, signed in on A, the anonymous basket kept.
        data, action = visitor.form(b, reverse("customer:login"), id="login_form")
        signed_in = visitor.post(b, action, {**data, "login-username": "helene@example.org",
                                             "login-password": PASSWORD, "login_submit": "1"})
        assert signed_in.status_code == 302, text_of(signed_in)[:1500]
        on_a = visitor.get(a, reverse("basket:summary"))
        assert "Se déconnecter" in text_of(on_a) and "Comté 24 mois" in text_of(on_a)
        add_to_basket(visitor, a, novel)
        both = text_of(visitor.get(b, reverse("basket:summary")))
        assert "Comté 24 mois" in both and "Roman du terroir" in both

        # A category renamed (name and address) shows on both servers at once, and its
        # link leads to it (Oscar caches each category's address).
        for server in servers:
            assert "Pâtes pressées" in text_of(visitor.get(server, comte.get_absolute_url()))
        pressed.refresh_from_db()
        pressed.name, pressed.slug = "Fromages à pâte pressée", "pate-pressee"
        pressed.save()
        new_address = reverse("catalogue:category", kwargs={"category_slug": "cremerie/pate-pressee",
                                                            "pk": pressed.pk})
        for server in servers:
            page = visitor.get(server, comte.get_absolute_url())
            assert "Fromages à pâte pressée" in text_of(page), server.name
            assert new_address in links(page), (server.name, [h for h in links(page) if "catalogue" in (h or "")])
            assert "Fromages à pâte pressée" in text_of(visitor.get(server, new_address))

        # Wagtail: a vitrine's new title, the home page's new slug (Wagtail caches where
        # each site's pages start), published here, and the town's name in its site
        # settings show on both at once.
        for server in servers:
            assert "Fromagerie du Lavoir" in text_of(visitor.get(server, "/commerces/"))
        vitrine = ShopPage.objects.get(pk=cheese.pk)
        vitrine.title = "Fromagerie du Lavoir et des Halles"
        vitrine.save_revision().publish()
        home = HomePage.objects.get()
        home.slug = "marche-de-la-ville"
        home.save_revision().publish()
        identity = TownSettings.for_site(Site.objects.get(is_default_site=True))  # the town's name (site settings)
        identity.name = "Le marché d'Auxonne"
        identity.save()
        for server in servers:
            assert "Le marché d'Auxonne" in text_of(visitor.get(server, "/")), server.name
            directory = visitor.get(server, "/commerces/")
            assert "Fromagerie du Lavoir et des Halles" in text_of(directory), server.name
            assert "/commerces/fromagerie-du-lavoir/" in links(directory), (server.name, links(directory))
            assert "Fromagerie du Lavoir et des Halles" in text_of(visitor.get(server, "/commerces/fromagerie-du-lavoir/"))

        # Anonymous visitors get pages both servers stored; a new price shows on both at once.
        stranger = Visitor(servers)
        for server in servers + servers:
            assert "14,20" in text_of(stranger.get(server, comte.get_absolute_url())), server.name
        assert not stranger.session.cookies, stranger.session.cookies  # cached pages set none
        StockRecord.objects.filter(product=comte).update(price="15.60")
        for server in servers:
            assert "15,60" in text_of(stranger.get(server, comte.get_absolute_url())), server.name

        # The password-reset limit counts across both servers: RESET_LIMIT requests, half
        # on each, then both refuse.
        stranger = Visitor(servers)
        reset = reverse("password-reset")
        for n in range(RESET_LIMIT):
            server = servers[n % 2]
            data, action = stranger.form(server, reset, id="password_reset_form")
            sent = stranger.post(server, action, {**data, "email": "helene@example.org"})
            assert sent.status_code == 302, (server.name, n, sent.status_code, text_of(sent)[:500])
            assert sent.headers["Location"].endswith(reverse("password-reset-done"))
        for server in servers:
            data, action = stranger.form(server, reset, id="password_reset_form")
            refused = stranger.post(server, action, {**data, "email": "helene@example.org"})
            assert refused.status_code == 429, (server.name, refused.status_code)
            assert "Trop de demandes" in text_of(refused)

        # The checkout page comes from A; A dies (SIGKILL, master and workers); the
        # visitor's « Valider » reaches B, with the same session and basket.
        data, action = visitor.form(a, reverse("checkout:index"), class_="checkout-form")
        a.kill()
        assert not a.alive()
        data.update({"first_name": "Hélène", "last_name": "Jourdan", "email": "helene@example.org",
                     "phone": "06 12 34 56 78", "payment_method": "pay_at_pickup", "accept_terms": "on"})
        placed = visitor.post(a, action, data)
        assert visitor.served_by[-1] == "B"
        assert placed.status_code == 302, text_of(placed)[:2000]
        assert placed.headers["Location"].endswith(reverse("checkout:thank-you"))
        thanks = text_of(visitor.get(a, placed.headers["Location"]))
        number = re.search(r"\b\d{6,}\b", thanks)
        assert visitor.served_by[-1] == "B" and number, thanks[:1500]
        # The browser sends the form again (« Renvoyer »): no second order.
        again = visitor.post(a, action, data)
        assert again.status_code in (200, 302), again.status_code
        assert b.alive(), b.log()
    finally:
        for server in servers:
            server.stop()
        caches["default"].clear()

    orders = list(Order.objects.all())
    assert len(orders) == 1, [(o.number, o.user_id, o.total_incl_tax) for o in orders]
    assert orders[0].user_id == helene.pk and orders[0].number == number.group(0)
    assert sorted(orders[0].lines.values_list("title", flat=True)) == ["Comté 24 mois", "Roman du terroir"]
