"""Several towns on one install (issue 20, item 2 and « Bad input »): on a town's host a
customer sees, finds, buys and is mailed about that town's shops and products only.

Two towns: the default Site « a.localhost » (the `town` fixture's cheese shop and
bookshop) and « b.localhost », its own home page tree with one shop, whose product
sits in the same (shared) category « Fromages »."""
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.text import slugify
from oscar.core.loading import get_model
from wagtail.models import Page, Site

from shops_pages.models import HomePage, ShopIndexPage, ShopKind
from shops_pages.shops import create_shop
from tests import factories
from tests.integration.helpers import place_order
from townmarket.models import TownSettings

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Category = get_model("catalogue", "Category")

A, B = "a.localhost", "b.localhost"


def second_town(hostname, name):
    """A town of its own: a home page beside the first one, its directory, its Site."""
    home = Page.get_first_root_node().add_child(instance=HomePage(title=f"Le marché de {name}", slug=slugify(name)))
    shop_index = home.add_child(instance=ShopIndexPage(title="Les commerces", slug="commerces"))
    site = Site.objects.create(hostname=hostname, port=80, root_page=home, site_name=name)
    TownSettings.objects.update_or_create(site=site, defaults={"name": f"Le marché de {name}"})
    return site, shop_index


def shop_in(site, shop_index, name, kind="Fromagerie"):
    shop_kind, _ = ShopKind.objects.get_or_create(slug=slugify(kind), defaults={"name": kind, "is_food": True})
    page = create_shop(shop_index, name=name, slug=slugify(name), opening_hours=[(1, "09:00", "12:30")],
                       kind=shop_kind, street="2 place du Marché", postcode="21000", city=site.site_name,
                       phone="03 80 11 11 11", email=f"{slugify(name)}@example.org")
    type(page.partner).objects.filter(pk=page.partner_id).update(town=site)
    page.partner.town = site
    return page


@pytest.fixture
def towns(town):
    a = Site.objects.get(is_default_site=True)
    a.hostname, a.port = A, 80
    a.save()  # Wagtail forgets its cached site root URLs
    TownSettings.objects.update_or_create(site=a, defaults={"name": "Le marché de Val-sur-Ouche"})
    b, b_index = second_town(B, "Beaune-la-Petite")
    dairy = shop_in(b, b_index, "Crèmerie de Beaune")
    brie = factories.product(dairy, title="Brie de Beaune", price="7.50", stock=8, category_name="Fromages")
    return {**town, "a": Site.objects.get(pk=a.pk), "b": b, "dairy": dairy, "brie": brie}


def visitor(host):
    return Client(HTTP_HOST=host)


def page_text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


class TestWhatACustomerSees:
    def test_the_catalogue_lists_its_own_towns_products(self, towns):
        on_a = page_text(visitor(A).get(reverse("catalogue:index")))
        assert "Comté 18 mois" in on_a and "Brie de Beaune" not in on_a
        on_b = page_text(visitor(B).get(reverse("catalogue:index")))
        assert "Brie de Beaune" in on_b and "Comté 18 mois" not in on_b and "Roman policier" not in on_b

    def test_a_shared_category_shows_each_town_its_own_products(self, towns):
        url = Category.objects.get(name="Fromages", depth=1).get_absolute_url()
        on_a, on_b = page_text(visitor(A).get(url)), page_text(visitor(B).get(url))
        assert "Époisses" in on_a and "Brie de Beaune" not in on_a
        assert "Brie de Beaune" in on_b and "Époisses" not in on_b

    def test_another_towns_shop_neither_filters_nor_is_offered(self, towns):
        page = visitor(A).get(reverse("catalogue:index"), {"boutique": towns["dairy"].partner.code})
        assert "Brie de Beaune" not in page_text(page)
        options = [option["value"] for option in
                   BeautifulSoup(visitor(A).get(reverse("catalogue:index")).content, "html.parser")
                   .select("select[name=boutique] option")]
        assert towns["cheese"].partner.code in options and towns["dairy"].partner.code not in options

    def test_search_finds_its_own_towns_products_and_shops(self, towns):
        on_a = page_text(visitor(A).get(reverse("catalogue:index"), {"q": "fromage"}))
        assert "Crèmerie de Beaune" not in on_a and "Brie de Beaune" not in on_a
        on_b = page_text(visitor(B).get(reverse("catalogue:index"), {"q": "brie"}))
        assert "Brie de Beaune" in on_b
        assert "Brie de Beaune" not in page_text(visitor(A).get(reverse("catalogue:index"), {"q": "brie"}))
        crèmerie = page_text(visitor(A).get(reverse("catalogue:index"), {"q": "crèmerie"}))
        assert "Crèmerie de Beaune" not in crèmerie

    def test_other_towns_results_never_crowd_out_the_towns_own(self, towns, settings):
        """The engine keeps its best SEARCH_MAX_RESULTS: those of the town searched in."""
        factories.product(towns["cheese"], title="Brie de Meaux", category_name="Fromages")  # ranks after B's
        settings.SEARCH_MAX_RESULTS = 1
        assert "Brie de Meaux" in page_text(visitor(A).get(reverse("catalogue:index"), {"q": "brie"}))
        assert "Brie de Beaune" in page_text(visitor(B).get(reverse("catalogue:index"), {"q": "brie"}))

    def test_another_towns_product_page_is_not_found(self, towns):
        brie_url = towns["brie"].get_absolute_url()
        assert visitor(B).get(brie_url).status_code == 200
        assert visitor(A).get(brie_url).status_code == 404
        assert visitor(B).get(towns["comte"].get_absolute_url()).status_code == 404

    def test_home_page_directory_and_sitemap_are_the_towns_own(self, towns):
        home_a = page_text(visitor(A).get("/"))
        assert "Brie de Beaune" not in home_a and "Crèmerie de Beaune" not in home_a
        home_b = page_text(visitor(B).get("/"))
        assert "Comté 18 mois" not in home_b and "Fromagerie Test" not in home_b
        assert "Crèmerie de Beaune" in page_text(visitor(B).get("/commerces/"))
        assert "Crèmerie de Beaune" not in page_text(visitor(A).get("/commerces/"))
        assert visitor(A).get("/commerces/cremerie-de-beaune/").status_code == 404

        sitemap_a = visitor(A).get("/sitemap.xml").content.decode()
        assert towns["comte"].get_absolute_url() in sitemap_a
        assert towns["brie"].get_absolute_url() not in sitemap_a
        sitemap_b = visitor(B).get("/sitemap.xml").content.decode()
        assert f"http://{B}{towns['brie'].get_absolute_url()}" in sitemap_b
        assert towns["comte"].get_absolute_url() not in sitemap_b


class TestBasketPerTown:
    def test_a_forged_post_of_another_towns_product_adds_nothing(self, towns):
        client = visitor(A)
        response = client.post(reverse("basket:add", kwargs={"pk": towns["brie"].pk}), {"quantity": 1},
                               HTTP_REFERER=f"http://{A}/boutique/catalogue/", follow=True)
        assert "n'est pas vendu sur ce marché" in page_text(response)
        assert not Basket.objects.filter(lines__product=towns["brie"]).exists()

        answer = client.post(reverse("basket:add", kwargs={"pk": towns["brie"].pk}), {"quantity": 1},
                             HTTP_ACCEPT="application/json")
        assert answer.status_code == 400
        body = json.loads(answer.content)
        assert body["ok"] is False and "n'est pas vendu sur ce marché" in body["message"]
        assert body["basket_count"] == 0
        assert not Basket.objects.filter(lines__product=towns["brie"]).exists()

    def test_a_signed_in_customer_keeps_one_basket_per_town(self, towns):
        user = get_user_model().objects.create_user("claire", "claire@example.org", "pw-cliente-2026")
        on_a, on_b = visitor(A), visitor(B)
        on_a.force_login(user)
        on_b.force_login(user)
        assert on_a.post(reverse("basket:add", kwargs={"pk": towns["comte"].pk}), {"quantity": 2}).status_code == 302
        assert on_b.post(reverse("basket:add", kwargs={"pk": towns["brie"].pk}), {"quantity": 1}).status_code == 302

        basket_a = page_text(on_a.get(reverse("basket:summary")))
        assert "Comté 18 mois" in basket_a and "Brie de Beaune" not in basket_a
        basket_b = page_text(on_b.get(reverse("basket:summary")))
        assert "Brie de Beaune" in basket_b and "Comté 18 mois" not in basket_b
        baskets = {basket.town_id: basket for basket in Basket.open.filter(owner=user)}
        assert set(baskets) == {towns["a"].pk, towns["b"].pk}

    def test_a_guest_basket_joins_the_account_of_the_same_town_on_login(self, towns):
        user = get_user_model().objects.create_user("paul", "paul@example.org", "pw-client-2026")
        on_a = visitor(A)
        on_a.force_login(user)
        on_a.post(reverse("basket:add", kwargs={"pk": towns["comte"].pk}), {"quantity": 1})
        guest_b = visitor(B)
        guest_b.post(reverse("basket:add", kwargs={"pk": towns["brie"].pk}), {"quantity": 1})
        guest_b.force_login(user)
        basket_b = page_text(guest_b.get(reverse("basket:summary")))
        assert "Brie de Beaune" in basket_b and "Comté 18 mois" not in basket_b
        assert "Brie de Beaune" not in page_text(on_a.get(reverse("basket:summary")))


class TestOrdersAndLinks:
    def test_an_order_of_town_b_is_b_s_and_its_e_mails_carry_b_s_name_and_address(self, towns):
        mail.outbox.clear()
        order = place_order(visitor(B), [(towns["brie"], 1)])
        assert order.town_id == towns["b"].pk
        [confirmation] = [message for message in mail.outbox if "helene@example.org" in message.to]
        assert f"http://{B}/boutique/" in confirmation.body
        assert A not in confirmation.body
        assert "Le marché de Beaune-la-Petite" in confirmation.body
        assert "Beaune-la-Petite" in confirmation.from_email

    def test_an_order_s_tracking_link_opens_in_its_own_town(self, towns):
        """The e-mail's link opened on another town's address (a forwarded link, the
        address typed by hand) leads to the order's town: never town B's order dressed
        in town A's name and colours."""
        from oscar_apps.order import tracking

        order = place_order(visitor(B), [(towns["brie"], 1)])
        path = tracking.path_for(order)
        on_b = visitor(B).get(path)
        assert on_b.status_code == 200 and "Beaune-la-Petite" in page_text(on_b)
        on_a = visitor(A).get(path)
        assert on_a.status_code == 302 and on_a["Location"] == f"http://{B}{path}"

    def test_e_mails_sent_later_without_a_request_use_the_orders_town(self, towns):
        from oscar_apps.checkout.confirmation import send_order_confirmation
        from oscar_apps.order.notifications import notify_shops

        order = place_order(visitor(B), [(towns["brie"], 1)])
        mail.outbox.clear()
        notify_shops(order)
        send_order_confirmation(order)  # as the worker does, after a payment
        assert len(mail.outbox) == 2
        for message in mail.outbox:
            assert A not in message.body and "Val-sur-Ouche" not in message.from_email
        [customer] = [message for message in mail.outbox if "helene@example.org" in message.to]
        assert f"http://{B}/boutique/" in customer.body


class TestHosts:
    def test_each_host_has_its_own_cached_pages(self, towns, settings):
        url = reverse("catalogue:index")
        first_a = page_text(visitor(A).get(url))
        first_b = page_text(visitor(B).get(url))
        again_a, again_b = page_text(visitor(A).get(url)), page_text(visitor(B).get(url))
        assert "Comté 18 mois" in again_a and "Brie de Beaune" not in again_a
        assert "Brie de Beaune" in again_b and "Comté 18 mois" not in again_b
        assert (first_a, first_b) == (again_a, again_b)

    def test_an_unknown_host_is_sent_to_the_default_town(self, towns):
        response = visitor("inconnu.example").get("/boutique/catalogue/?q=brie")
        assert response.status_code == 302
        assert response["Location"] == f"http://{A}/boutique/catalogue/?q=brie"
        assert visitor("inconnu.example").get("/healthz").status_code in (200, 503)

    def test_a_town_added_by_another_process_is_served_on_its_host_at_once(self, towns):
        """`manage.py new_town` saves its Site in a process of its own: without Redis, the
        list of Sites this process keeps (Wagtail's, for an hour) does not have it yet."""
        assert visitor("inconnu.example").get("/").status_code == 302  # the list of two towns is kept here
        home = Page.get_first_root_node().add_child(instance=HomePage(title="Le marché de Chablis", slug="chablis"))
        Site.objects.bulk_create([Site(hostname="c.localhost", port=80, root_page=home, site_name="Chablis")])  # no signal
        TownSettings.objects.update_or_create(site=Site.objects.get(hostname="c.localhost"),
                                              defaults={"name": "Le marché de Chablis"})
        response = visitor("c.localhost").get("/")
        assert response.status_code == 200 and "Le marché de Chablis" in page_text(response)
        assert visitor("inconnu.example").get("/").status_code == 302

    def test_with_a_single_town_any_host_still_gets_it(self, town):
        response = Client(HTTP_HOST="127.0.0.1").get(reverse("catalogue:index"))
        assert response.status_code == 200 and "Comté 18 mois" in page_text(response)


class TestAShopOpenedInTheAdmin:
    def test_a_vitrine_added_under_town_b_s_directory_sells_in_town_b(self, towns):
        from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

        from backoffice import roles
        from shops_pages.models import ShopPage

        staff = get_user_model().objects.create_user("bastien", "bastien@example.org", "pw-role-2026")
        staff.groups.add(roles.ensure_town_roles(towns["b"])[roles.ASSOCIATION])
        admin = Client(HTTP_HOST=B)
        admin.force_login(staff)
        b_index = ShopIndexPage.objects.descendant_of(towns["b"].root_page).get()
        response = admin.post(
            reverse("wagtailadmin_pages:add", args=["shops_pages", "shoppage", b_index.pk]),
            nested_form_data({"title": "Chausseur de Beaune", "slug": "chausseur-de-beaune",
                              "body": streamfield([]), "services": streamfield([]),
                              "opening_hours": inline_formset([]), "action-publish": "action-publish"}))
        assert response.status_code == 302, response.content.decode()[:3000]
        vitrine = ShopPage.objects.get(slug="chausseur-de-beaune")
        assert vitrine.partner.town == towns["b"]
        factories.product(vitrine, title="Bottines de Beaune", price="89.00", stock=3)
        assert "Bottines de Beaune" in page_text(visitor(B).get(reverse("catalogue:index")))
        assert "Bottines de Beaune" not in page_text(visitor(A).get(reverse("catalogue:index")))
