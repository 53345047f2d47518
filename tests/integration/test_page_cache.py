"""Anonymous visitors' pages from the shared cache (issue 19, item 2; README, "Caching"):
a second anonymous visit is served without rendering; anybody with a basket, an account
or a message gets their own page; a change to what a page shows is there on the next
visit; forms of a cached page work for every visitor, CSRF included."""
import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model
from wagtail.models import Site

from shops_pages.models import NewsIndexPage, NewsPage, ShopPage
from townmarket.models import TownSettings
from tests import factories

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")
Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

STOREFRONT = ["/", "/commerces/", "/commerces/fromagerie-test/", "/actualites/", "/boutique/catalogue/",
              "/boutique/catalogue/?q=comte"]


def visitor():
    """A new browser: no cookies, CSRF checked as a browser's would be."""
    return Client(enforce_csrf_checks=True)


def text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def basket_count(response):
    return BeautifulSoup(response.content, "html.parser").select_one("[data-basket-count]").get_text()


def form_fields(response, action):
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.find("form", id="confirm-post") or soup.find("form", action=action)
    assert form is not None, action
    return {field["name"]: field.get("value", "") for field in form.find_all("input") if field.get("name")}


def category_url(town):
    return Category.objects.get(name="Fromages").get_absolute_url()


@pytest.fixture
def pages(town):
    return [*STOREFRONT, town["comte"].get_absolute_url(), category_url(town)]


class TestAnonymousVisitors:
    def test_the_second_visit_of_each_storefront_page_is_served_from_the_cache(
            self, town, pages, django_assert_max_num_queries):
        visitor().get("/")  # the town's settings are written on the first visit ever
        for url in pages:
            first = visitor().get(url)
            assert first.status_code == 200, url
            with django_assert_max_num_queries(0, info=url):  # this test's cache lives in memory
                second = visitor().get(url)
            assert second.status_code == 200
            assert text(second) == text(first), url

    def test_with_the_database_cache_a_cached_page_costs_one_query(
            self, town, settings, django_assert_max_num_queries):
        settings.CACHES = {**settings.CACHES, "pages": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "townmarket_page_cache"}}
        call_command("createcachetable")
        url = town["comte"].get_absolute_url()
        visitor().get("/")  # the town's settings are written on the first visit ever
        visitor().get(url)
        with django_assert_max_num_queries(1):
            page = visitor().get(url)
        assert "Comté 18 mois" in text(page)

    def test_cached_pages_carry_no_token_and_set_no_cookie_and_say_nobody_is_signed_in(self, town, pages):
        for url in pages:
            for response in (visitor().get(url), visitor().get(url)):
                assert "csrfmiddlewaretoken" not in response.content.decode(), url
                assert not response.cookies, (url, response.cookies)
                assert "Se connecter" in text(response) and basket_count(response) == "0"

    def test_each_answer_has_its_own_script_nonce(self, town):
        url = town["comte"].get_absolute_url()
        answers = [visitor().get(url) for _ in range(2)]
        nonces = [re.search(r"'nonce-([^']+)'", answer["Content-Security-Policy"]).group(1) for answer in answers]
        assert nonces[0] != nonces[1]
        for answer, nonce in zip(answers, nonces):
            assert f'nonce="{nonce}"' in answer.content.decode()

    def test_english_and_french_pages_are_kept_apart(self, town):
        visitor().get("/boutique/catalogue/")
        english = visitor()
        english.cookies["django_language"] = "en"
        assert '<html lang="en">' in english.get("/boutique/catalogue/").content.decode()
        assert '<html lang="fr">' in visitor().get("/boutique/catalogue/").content.decode()


class TestPersonalPagesAreNeverCached:
    def test_a_visitor_with_a_basket_sees_their_count_and_a_new_visitor_sees_none(self, town):
        url = town["comte"].get_absolute_url()
        visitor().get(url)
        shopper = Client()
        shopper.post(reverse("basket:add", kwargs={"pk": town["comte"].pk}), {"quantity": "2"})
        mine = shopper.get(url)
        assert basket_count(mine) == "2"
        assert "private" in mine["Cache-Control"]
        assert basket_count(visitor().get(url)) == "0"

    def test_a_signed_in_customer_gets_their_own_page(self, town):
        url = town["comte"].get_absolute_url()
        visitor().get(url)
        get_user_model().objects.create_user("claire", "claire@example.org", "pw-claire-2026")
        customer = Client()
        customer.force_login(get_user_model().objects.get(username="claire"))
        page = customer.get(url)
        assert "Mon compte" in text(page) and "Se connecter" not in text(page)
        assert "Se connecter" in text(visitor().get(url))

    def test_messages_are_never_cached(self, town):
        """The message after adding to the basket is shown to that visitor once, never
        stored for the next one."""
        url = town["comte"].get_absolute_url()
        shopper = Client()
        added = shopper.post(reverse("basket:add", kwargs={"pk": town["comte"].pk}), {"quantity": "1"}, follow=True)
        assert "ajouté à votre panier" in text(added)
        assert "ajouté à votre panier" not in text(visitor().get(url))
        assert "ajouté à votre panier" not in text(visitor().get(added.redirect_chain[-1][0]))


class TestChangesShowOnTheNextVisit:
    def seen(self, url):
        return text(visitor().get(url))

    def test_a_new_price(self, town):
        url = town["comte"].get_absolute_url()
        assert "12,40" in self.seen(url) and "12,40" in self.seen("/boutique/catalogue/")
        StockRecord.objects.filter(product=town["comte"]).update(price="13.10")  # as the back office's quick edit
        assert "13,10" in self.seen(url) and "13,10" in self.seen("/boutique/catalogue/")

    def test_stock_running_out(self, town):
        url = town["comte"].get_absolute_url()
        action = reverse("basket:add", kwargs={"pk": town["comte"].pk})
        assert action in visitor().get(url).content.decode()
        record = StockRecord.objects.get(product=town["comte"])
        record.num_in_stock = 0
        record.save()
        assert action not in visitor().get(url).content.decode()

    def test_a_new_product_and_a_hidden_one(self, town):
        assert "Tomme de chèvre" not in self.seen("/boutique/catalogue/")
        factories.product(town["cheese"], title="Tomme de chèvre", price="7.50")
        assert "Tomme de chèvre" in self.seen("/boutique/catalogue/")
        assert "Tomme de chèvre" in self.seen("/commerces/fromagerie-test/")
        Product.objects.filter(title="Tomme de chèvre").update(is_public=False)
        assert "Tomme de chèvre" not in self.seen("/boutique/catalogue/")

    def test_a_category_renamed(self, town):
        url = category_url(town)
        assert "Fromages" in self.seen(url)
        category = Category.objects.get(name="Fromages")
        category.name = "Fromages affinés"
        category.save()
        assert "Fromages affinés" in self.seen(url) and "Fromages affinés" in self.seen(town["comte"].get_absolute_url())

    def test_a_vitrine_published_and_unpublished(self, town):
        assert "Primeur du Pont" not in self.seen("/commerces/")
        vitrine = factories.shop("Primeur du Pont", kind="Primeur", live=False)
        assert "Primeur du Pont" not in self.seen("/commerces/")
        vitrine.save_revision().publish()
        assert "Primeur du Pont" in self.seen("/commerces/")
        assert visitor().get("/commerces/primeur-du-pont/").status_code == 200
        ShopPage.objects.get(pk=vitrine.pk).unpublish()
        assert "Primeur du Pont" not in self.seen("/commerces/")
        assert visitor().get("/commerces/primeur-du-pont/").status_code == 404

    def test_a_news_page_published(self, town):
        assert "Marché de Noël" not in self.seen("/actualites/") and "Marché de Noël" not in self.seen("/")
        news_index = NewsIndexPage.objects.get()
        news = news_index.add_child(instance=NewsPage(title="Marché de Noël", slug="marche-de-noel", live=False,
                                                      date=datetime.date(2026, 12, 12)))
        assert "Marché de Noël" not in self.seen("/actualites/")
        news.save_revision().publish()
        assert "Marché de Noël" in self.seen("/actualites/") and "Marché de Noël" in self.seen("/")

    def test_the_towns_settings_saved(self, town):
        assert "Le marché d'Auxonne" not in self.seen("/")
        identity = TownSettings.for_site(Site.objects.get(is_default_site=True))
        identity.name = "Le marché d'Auxonne"
        identity.save()
        assert "Le marché d'Auxonne" in self.seen("/") and "Le marché d'Auxonne" in self.seen("/boutique/catalogue/")

    def test_the_next_visit_on_another_server_too(self, town, settings):
        """Two servers share the database's cache table (or Redis): a page stored by one
        and a price changed through the other, the next visit on either shows it."""
        settings.CACHES = {**settings.CACHES, "pages": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "townmarket_page_cache"}}
        call_command("createcachetable")
        url = town["comte"].get_absolute_url()
        server_a, server_b = visitor(), visitor()
        assert "12,40" in text(server_a.get(url)) and "12,40" in text(server_b.get(url))
        StockRecord.objects.filter(product=town["comte"]).update(price="13.10")
        assert "13,10" in text(server_b.get(url)) and "13,10" in text(server_a.get(url))


class TestFormsOnCachedPages:
    def test_two_visitors_add_from_the_same_cached_page_and_keep_their_own_baskets(self, town):
        url = town["comte"].get_absolute_url()
        action = reverse("basket:add", kwargs={"pk": town["comte"].pk})
        visitor().get(url)  # the page is now in the cache
        anne, bruno = visitor(), visitor()
        for person, quantity in ((anne, "1"), (bruno, "3")):
            page = person.get(url)
            assert "csrfmiddlewaretoken" not in page.content.decode()
            fields = form_fields(page, action)
            # what storefront.js does before posting: a token for this visitor
            state = person.get(reverse("visitor_state")).json()
            assert state["basket_count"] == 0 and state["signed_in"] is False
            added = person.post(action, {**fields, "quantity": quantity, "csrfmiddlewaretoken": state["csrf_token"]},
                                HTTP_ACCEPT="application/json")
            assert added.status_code == 200, added.content[:500]
            assert added.json()["basket_count"] == int(quantity)
        assert basket_count(anne.get(url)) == "1"
        assert basket_count(bruno.get(url)) == "3"
        assert basket_count(visitor().get(url)) == "0"
        assert anne.get(reverse("visitor_state")).json()["basket_count"] == 1

    def test_without_javascript_the_first_post_asks_once_more_then_adds(self, town):
        url = town["comte"].get_absolute_url()
        action = reverse("basket:add", kwargs={"pk": town["comte"].pk})
        visitor().get(url)
        person = visitor()
        asked = person.post(action, form_fields(person.get(url), action), HTTP_REFERER="http://testserver" + url)
        assert asked.status_code == 403
        assert "Confirmez" in text(asked)
        confirmed = person.post(action, form_fields(asked, action), HTTP_REFERER="http://testserver" + action)
        assert confirmed.status_code == 302 and confirmed["Location"] == "http://testserver" + url  # back where it was
        assert basket_count(person.get(url)) == "1"

    def test_without_javascript_the_language_switch_asks_once_more_then_switches(self, town):
        person = visitor()
        page = person.get("/boutique/catalogue/")
        fields = form_fields(page, reverse("set_language"))
        asked = person.post(reverse("set_language"), {**fields, "language": "en"})
        assert asked.status_code == 403 and "Changer de langue" in text(asked)
        switched = person.post(reverse("set_language"), form_fields(asked, reverse("set_language")))
        assert switched.status_code == 302 and switched["Location"] == "/boutique/catalogue/"
        assert '<html lang="en">' in person.get("/boutique/catalogue/").content.decode()

    def test_cookies_blocked_get_the_expired_page_not_a_loop(self, town):
        action = reverse("basket:add", kwargs={"pk": town["comte"].pk})
        person = visitor()
        asked = person.post(action, {"quantity": "1"})
        person.cookies.clear()  # a browser that keeps no cookie
        again = person.post(action, form_fields(asked, action))
        assert again.status_code == 403 and "Cette page a expiré" in text(again)

    def test_other_posts_without_a_token_are_refused_as_before(self, town):
        refused = visitor().post(reverse("customer:login"), {"login-username": "x", "login-password": "y"})
        assert refused.status_code == 403 and "Cette page a expiré" in text(refused)

    def test_search_is_a_get_form_on_the_cached_page(self, town):
        visitor().get("/")
        form = BeautifulSoup(visitor().get("/").content, "html.parser").find("form", role="search")
        assert form["method"] == "get"
        assert "Comté 18 mois" in text(visitor().get(form["action"] + "?q=comte"))


class TestHeaders:
    def test_anonymous_pages_are_revalidated_with_an_etag(self, town):
        url = town["comte"].get_absolute_url()
        first = visitor().get(url)
        assert "public" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
        assert first["ETag"]
        again = visitor().get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        nonce = re.search(r'nonce="([^"]+)"', first.content.decode()).group(1)
        assert f"'nonce-{nonce}'" in again["Content-Security-Policy"]  # the browser's copy keeps running its scripts
        town["comte"].title = "Comté 24 mois"
        town["comte"].save()
        changed = visitor().get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert changed.status_code == 200 and "Comté 24 mois" in text(changed)

    @pytest.mark.parametrize("url", ["/boutique/basket/", "/boutique/checkout/", "/boutique/accounts/login/"])
    def test_personal_pages_are_private_and_not_stored(self, town, url):
        response = Client().get(url)
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]

    def test_static_files_are_collected_with_hashed_names(self):
        """WhiteNoise serves a file whose name carries its hash (the manifest storage's)
        with a max-age of ten years, public and immutable."""
        from townmarket.settings import base

        assert base.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
