"""The catalogue's search engine (README, "Search"): French words in any form, accents
ignored, the best matches first, shops and kinds of shop found above the products, typos
forgiven, hostile queries answered, and an index that follows the merchants' edits.
Run on SQLite (FTS5) and on PostgreSQL (DATABASE_URL=postgres://…)."""
import html
import json
import os
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db
SEARCH = reverse("catalogue:index")


def page(client, query, **params):
    response = client.get(SEARCH, {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def product_titles(body):
    """Titles of the product cards, in their order on the page."""
    results = body[body.index('id="resultats"'):]
    return [html.unescape(title) for title in
            re.findall(r'<h3 class="product-card-title"><a href="[^"]*">([^<]+)</a>', results)]


def shop_titles(body):
    results = body[body.index('id="resultats"'):]
    return [html.unescape(title) for title in
            re.findall(r'<h3 class="h5 card-title"><a href="[^"]*">([^<]+)</a>', results)]


@pytest.fixture
def market(town):
    cheese, books = town["cheese"], town["books"]
    bakery = factories.shop("Chez Paul", kind="Boulangerie")
    items = {
        "chevre": factories.product(cheese, title="Fromage de chèvre frais"),
        "creme": factories.product(cheese, title="Crème fraîche épaisse"),
        "chocolat": factories.product(bakery, title="Chocolat noir", category_name="Épicerie fine"),
        # « miel » in the title of one, only in the description of another listed first by name
        "miel": factories.product(bakery, title="Pain au miel", category_name="Pains"),
        "brioche": factories.product(bakery, title="Brioche tressée", category_name="Pains"),
    }
    items["brioche"].description = "<p>Dorée, parfumée au miel de nos ruches.</p>"
    items["brioche"].save()
    return {**town, **items, "bakery": bakery}


class TestFrenchWords:
    def test_a_plural_finds_the_singular_and_back(self, client, market):
        assert product_titles(page(client, "chèvres")) == ["Fromage de chèvre frais"]
        assert product_titles(page(client, "chocolats")) == ["Chocolat noir"]
        assert product_titles(page(client, "fromages"))[0] == "Fromage de chèvre frais"  # the others: category

    def test_accents_and_case_are_ignored(self, client, market):
        assert product_titles(page(client, "EPOISSES")) == ["Époisses"]
        assert product_titles(page(client, "creme epaisse")) == ["Crème fraîche épaisse"]
        assert product_titles(page(client, "Crème")) == ["Crème fraîche épaisse"]

    def test_every_word_must_be_found_common_words_aside(self, client, market):
        assert product_titles(page(client, "fromage de chèvre")) == ["Fromage de chèvre frais"]
        assert product_titles(page(client, "fromage brioche")) == []

    def test_shop_and_category_names_find_their_products(self, client, market):
        assert sorted(product_titles(page(client, "fromagerie"))) == sorted(
            ["Comté 18 mois", "Époisses", "Fromage de chèvre frais", "Crème fraîche épaisse"])
        assert product_titles(page(client, "livres")) == ["Roman policier"]


class TestRanking:
    def test_a_title_match_comes_before_a_description_match(self, client, market):
        body = page(client, "miel")
        assert product_titles(body) == ["Pain au miel", "Brioche tressée"]  # by name, Brioche would be first
        assert product_titles(page(client, "miel", tri="nom")) == ["Brioche tressée", "Pain au miel"]

    def test_the_other_sorts_still_apply_to_the_results(self, client, market):
        titles = product_titles(page(client, "fromagerie", tri="prix-croissant"))
        assert titles[0] == "Époisses"  # 9,80 € among 10 € and 12,40 €

    def test_the_filters_still_apply_to_the_results(self, client, market):
        assert product_titles(page(client, "miel", boutique="fromagerie-test")) == []
        assert product_titles(page(client, "miel", prix_max="5")) == []


class TestShopsFound:
    def test_a_shop_is_shown_above_the_products(self, client, market):
        body = page(client, "fromagerie")
        assert shop_titles(body) == ["Fromagerie Test"]
        assert body.index("Fromagerie Test</a></h3>") < body.index("produits trouvés")

    def test_a_kind_of_shop_finds_its_shops(self, client, market):
        body = page(client, "boulangeries")
        assert shop_titles(body) == ["Chez Paul"]

    def test_an_unpublished_shop_is_not_shown(self, client, market):
        market["bakery"].unpublish()
        assert shop_titles(page(client, "boulangerie")) == []


class TestTypos:
    @pytest.mark.parametrize("typed, expected", [
        ("fromge", "Fromage de chèvre frais"),
        ("chocolt", "Chocolat noir"),
        ("brioshe", "Brioche tressée"),
        ("epoises", "Époisses"),
    ])
    def test_a_word_with_a_typo_finds_the_right_one(self, client, market, typed, expected):
        body = page(client, typed)
        assert expected in product_titles(body)
        assert f"Aucun résultat pour « {typed} »" in body

    def test_a_word_far_from_every_known_word_finds_nothing(self, client, market):
        body = page(client, "tracteur")
        assert product_titles(body) == []
        assert "Aucun produit ne correspond" in body


HOSTILE = [
    '"', '""', '"fromage', "fromage*", "*", "NEAR(fromage chèvre)", "fromage AND", "AND", "OR", "NOT",
    "-fromage", "^fromage", "fromage:", "title:fromage", "{title}: fromage", "(", ")", "((fromage", "'", "\\",
    "fromage & | ! <->", "%", "_", "%%", "' OR 1=1 --", "🧀", "🧀 fromage", "中文 搜索", "сыр", "ﷺ", "\u200b",
    "a" * 5000, "fromage " * 200, "é" * 101, " ", "\t\n", "0", "18", "-1", "½", "＂fromage＂", "\u0301", "ǅ",
    "ﬁ", "ß", "İ",
]


class TestHostileQueries:
    @pytest.mark.parametrize("query", HOSTILE)
    def test_any_query_gets_results_or_none_never_an_error(self, client, market, query):
        body = page(client, query)
        assert "produit trouvé" in body or "produits trouvés" in body or "Aucun produit ne correspond" in body

    def test_operators_are_read_as_words(self, client, market):
        assert product_titles(page(client, '"fromage*" -chèvre^')) == ["Fromage de chèvre frais"]

    def test_a_nul_byte_is_refused_cleanly(self, client, market):
        assert client.get(SEARCH, {"q": "fromage\x00"}).status_code in (200, 400)

    def test_a_query_is_cut_at_100_characters(self, client, market):
        query = "chèvre" + " " * 94 + "tracteur"  # the 101st character onwards is ignored
        assert product_titles(page(client, query)) == ["Fromage de chèvre frais"]


class TestIndexFollowsTheCatalogue:
    def test_a_product_renamed_in_the_back_office_is_found_by_its_new_title_once_the_task_ran(
            self, client, market, team, settings, monkeypatch):
        monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        client.force_login(team["alice"])
        comte = market["comte"]
        form = client.get(reverse("backoffice_product_edit", args=[comte.pk])).context["form"]
        data = {name: value for name, value in form.initial.items() if value is not None}
        description = json.dumps({"blocks": [{"key": "a1b2c", "text": "Un fromage de montagne.", "type": "unstyled",
                                              "depth": 0, "inlineStyleRanges": [], "entityRanges": []}],
                                  "entityMap": {}})
        data.update({"title": "Beaufort d'alpage", "description": description,
                     "price": "12,40", "vat_rate": "5.5", "stock": "5", "is_public": "on",
                     "category": factories.category("Fromages").pk, "sku": comte.stockrecords.get().partner_sku,
                     "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0", "images-MIN_NUM_FORMS": "0",
                     "images-MAX_NUM_FORMS": "8"})
        response = client.post(reverse("backoffice_product_edit", args=[comte.pk]), data)
        assert response.status_code == 302, response.context["form"].errors
        assert product_titles(page(client, "beaufort")) == []  # not yet: the task is queued
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        assert product_titles(page(client, "beaufort")) == ["Beaufort d'alpage"]
        assert product_titles(page(client, "comté")) == []

    def test_an_anonymous_visitors_cached_search_shows_the_index_once_the_task_ran(
            self, market, settings, monkeypatch):
        monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        visitor = Client()  # no cookie: the page cache serves this visitor
        assert product_titles(page(visitor, "beaufort")) == []
        comte = market["comte"]
        comte.title = "Beaufort d'alpage"
        comte.save()
        assert product_titles(page(visitor, "beaufort")) == []  # stored again, before the task
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        assert product_titles(page(visitor, "beaufort")) == ["Beaufort d'alpage"]

    def test_a_hidden_product_is_never_found(self, client, market):
        chevre = market["chevre"]
        chevre.is_public = False
        chevre.save()
        assert product_titles(page(client, "chèvre")) == []
        assert "Fromage de chèvre frais" not in page(client, "fromagerie")

    def test_a_deleted_product_leaves_the_index(self, client, market):
        market["creme"].delete()
        assert product_titles(page(client, "crème")) == []

    def test_a_shop_renamed_finds_its_products_by_its_new_name(self, client, market):
        partner = market["bakery"].partner
        partner.name = "Boulangerie Dupont"
        partner.save()
        assert "Pain au miel" in product_titles(page(client, "dupont"))

    def test_products_imported_from_a_file_are_found(self, client, market, tmp_path):
        path = tmp_path / "produits.csv"
        path.write_text("reference;nom;categorie;prix_ttc;tva;stock;description;en_ligne\n"
                        "R1;Rillettes de canard;Fromages;6,50;5,5;5;;oui\n", encoding="utf-8")
        call_command("import_products", str(path), "--shop", market["cheese"].partner.code, stdout=open(os.devnull, "w"))
        assert product_titles(page(client, "rillettes canard")) == ["Rillettes de canard"]

    def test_the_rebuild_command_indexes_products_made_without_signals(self, client, market):
        from oscar.core.loading import get_model

        Product = get_model("catalogue", "Product")
        Product.objects.filter(pk=market["miel"].pk).update(title="Pain d'épices")  # no signal
        assert product_titles(page(client, "épices")) == []
        call_command("rebuild_search_index", verbosity=0)
        assert product_titles(page(client, "épices")) == ["Pain d'épices"]
        # rebuilt in one statement per table: the same ranking, shops and vocabulary as saved one by one
        assert product_titles(page(client, "fromages"))[0] == "Fromage de chèvre frais"
        assert shop_titles(page(client, "boulangerie")) == ["Chez Paul"]
        assert "Chocolat noir" in product_titles(page(client, "chocolt"))


class TestQueryCounts:
    def queries(self, client, query):
        with CaptureQueriesContext(connection) as captured:
            page(client, query)
        return len(captured)

    def test_a_search_page_makes_a_fixed_number_of_queries(self, client, market):
        for number in range(30):
            factories.product(market["cheese"], title=f"Fromage affiné {number}")
        client.get(SEARCH, {"q": "fromage"})  # warm caches (content types, site)
        assert self.queries(client, "fromage") == 11
        assert self.queries(client, "fromqge") == 14  # a typo: two searches and the correction
        for number in range(40):
            factories.product(market["bakery"], title=f"Fromage frais {number}")
        assert self.queries(client, "fromage") == 11
        assert len(product_titles(page(client, "fromage"))) == 24
