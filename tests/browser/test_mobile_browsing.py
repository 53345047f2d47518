"""Browsing the storefront on a phone (390×844): a compact header with a menu, results
before filters, adding to the basket without leaving the page, no horizontal scroll,
and no axe-core violation on any browsing page."""
import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.axe import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_HEIGHT = 844


@pytest.fixture
def shops():
    factories.build_site()
    cheese = factories.shop("Fromagerie du Pont", kind="Fromagerie")
    books = factories.shop("Librairie des Quais", kind="Librairie", is_food=False)
    comte = factories.product(cheese, title="Comté 24 mois", price="14.20", stock=17)
    factories.product(cheese, title="Époisses de Bourgogne", price="9.80", stock=3)
    for name in ("Légumes", "Pains", "Vins", "Épicerie fine", "Fleurs", "Jouets", "Vêtements", "Cadeaux"):
        factories.product(books, title=f"Article {name}", price="5.00", stock=8, category_name=name)
    factories.product(books, title="Guide des balades", price="12.00", stock=2, category_name="Livres")
    return {"cheese": cheese, "books": books, "comte": comte}


def browsing_pages(shops):
    return {
        "accueil": "/",
        "annuaire": "/commerces/",
        "vitrine": "/commerces/fromagerie-du-pont/",
        "catalogue": "/boutique/catalogue/",
        "catégorie": "/boutique/catalogue/category/fromages_1/",
        "recherche": "/boutique/catalogue/?q=comté",
        "recherche vide": "/boutique/catalogue/?q=introuvable",
        "produit": shops["comte"].get_absolute_url(),
        "404": "/nulle-part/",
    }


def category_url(live_server, page, name):
    page.goto(live_server.url + "/")
    return page.get_by_role("link", name=name, exact=True).first.get_attribute("href")


def test_no_axe_violation_on_any_browsing_page(live_server, page, shops):
    pages = browsing_pages(shops)
    pages["catégorie"] = category_url(live_server, page, "Fromages")
    found = []
    for name, path in pages.items():
        page.goto(live_server.url + path)
        violations = axe_violations(page)
        if violations:
            found.append(f"— {name} ({path}):\n{describe(violations)}")
    assert not found, "\n".join(found)


def test_buttons_are_named_from_their_visible_words(live_server, page, shops):
    """axe's label-content-name-mismatch (WCAG 2.5.3) is experimental, so off unless asked
    for by name: visible « Ajouter au panier » must not be named « Ajouter « X » au panier »."""
    from tests.browser.axe import _axe

    only_that_rule = {"runOnly": {"type": "rule", "values": ["label-content-name-mismatch"]}}
    for path in ("/boutique/catalogue/", "/commerces/fromagerie-du-pont/", shops["comte"].get_absolute_url()):
        page.goto(live_server.url + path)
        violations = _axe.run(page, options=only_that_rule).response["violations"]
        assert not violations, describe(violations)


def test_the_header_is_compact_with_a_menu_button_and_one_search_box_on_home(live_server, page, shops):
    for path in ("/boutique/catalogue/", "/"):  # with the header's search row, and without
        page.goto(live_server.url + path)
        header = page.locator("header.site-header").bounding_box()
        assert header["height"] < 0.2 * PHONE_HEIGHT, f"{path}: header {header['height']} px high"
    assert page.get_by_role("search").count() == 1
    assert page.get_by_role("searchbox").count() == 1

    nav_link = page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Les commerces")
    expect(nav_link).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()
    expect(nav_link).to_be_visible()
    nav_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les commerces")

    # scrolled down, the header (with the basket) stays at the top of the screen
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(200)
    basket = page.get_by_role("link", name="Panier").bounding_box()
    assert 0 <= basket["y"] < 0.2 * PHONE_HEIGHT


def test_results_come_first_and_filters_wait_behind_filtrer(live_server, page, shops):
    category = category_url(live_server, page, "Fromages")
    for path in ("/boutique/catalogue/", category, "/boutique/catalogue/?q=comté"):
        page.goto(live_server.url + path)
        first = page.locator(".product-card").first.bounding_box()
        assert first["y"] < PHONE_HEIGHT, f"{path}: first result at {first['y']} px"
        assert page.get_by_role("link", name="Aller aux résultats").count() == 1
        expect(page.get_by_label("Prix minimum")).to_be_hidden()
    page.get_by_text("Filtrer", exact=True).click()
    expect(page.get_by_label("Prix minimum")).to_be_visible()

    page.goto(live_server.url + "/boutique/catalogue/?q=introuvable")
    status = page.get_by_text(re.compile(r"^0 produits? trouvés?$")).bounding_box()
    assert status["y"] < PHONE_HEIGHT / 2


def test_skip_link_reaches_the_results(live_server, page, shops):
    page.goto(live_server.url + "/boutique/catalogue/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller aux résultats")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('.product-card') !== null")
    assert focused


def test_add_from_a_listing_without_leaving_the_page(live_server, page, shops):
    page.goto(live_server.url + "/boutique/catalogue/")
    page.mouse.wheel(0, 300)
    url = page.url
    page.evaluate("window.stillHere = true")
    count = page.locator("[data-basket-count]")
    expect(count).to_have_text("0")

    page.get_by_role("button", name="Ajouter au panier « Comté 24 mois »").click()
    expect(page.locator("[aria-live]").filter(has_text="ajouté")).to_contain_text("« Comté 24 mois » a été ajouté à votre panier.")
    expect(count).to_have_text("1")
    assert page.url == url
    assert page.evaluate("window.stillHere") is True

    page.get_by_role("button", name="Ajouter au panier « Comté 24 mois »").click()
    expect(count).to_have_text("2")
    page.get_by_role("link", name="Panier").click()
    expect(page.get_by_text("Comté 24 mois").first).to_be_visible()


def test_the_product_page_shows_ajouter_au_panier_on_the_first_screen_and_adds_in_place(live_server, page, shops):
    page.goto(live_server.url + shops["comte"].get_absolute_url())
    button = page.get_by_role("button", name="Ajouter au panier", exact=True)
    box = button.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE_HEIGHT, f"button at {box}"
    assert box["height"] >= 44
    expect(page.get_by_text("En stock", exact=True)).to_be_visible()
    assert "disponible(s)" not in page.content()

    page.evaluate("window.stillHere = true")
    button.click()
    expect(page.locator("[data-basket-count]")).to_have_text("1")
    assert page.evaluate("window.stillHere") is True


def test_few_left_reads_plus_que(live_server, page, shops):
    page.goto(live_server.url + "/commerces/fromagerie-du-pont/")
    card = page.locator(".product-card").filter(has_text="Époisses de Bourgogne")
    expect(card.get_by_text("Plus que 3")).to_be_visible()


def test_the_page_asking_to_confirm_a_post_is_accessible(live_server, page, shops):
    """The page a cached page's form gets when it posts without a token (as without
    JavaScript: form.submit() skips storefront.js)."""
    page.goto(live_server.url + "/boutique/catalogue/")
    page.locator("form[data-add-to-basket]").first.evaluate("form => form.submit()")
    expect(page.get_by_role("heading", name="Confirmez votre demande")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_a_plain_post_still_works_without_javascript(live_server, browser, shops):
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/boutique/catalogue/")
    page.get_by_role("button", name="Ajouter au panier « Comté 24 mois »").click()
    # the catalogue came from the page cache, without a CSRF token: asked once more
    expect(page.get_by_role("heading", name="Confirmez votre demande")).to_be_visible()
    page.get_by_role("button", name="Ajouter au panier").click()
    expect(page.locator("[data-basket-count]")).to_have_text("1")
    # the menu and the filters open without JavaScript
    page.get_by_text("Menu", exact=True).click()
    expect(page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Les commerces")).to_be_visible()
    page.get_by_text("Filtrer", exact=True).click()
    expect(page.get_by_label("Prix minimum")).to_be_visible()
    context.close()


def assert_no_horizontal_scroll(page, where):
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"{where}: {widths[0]} px wide content in {widths[1]} px"


def test_no_horizontal_scroll_at_320_px_nor_at_200_percent_text(live_server, page, shops):
    pages = browsing_pages(shops)
    pages["catégorie"] = category_url(live_server, page, "Fromages")
    page.set_viewport_size({"width": 320, "height": 640})
    for name, path in pages.items():
        page.goto(live_server.url + path)
        assert_no_horizontal_scroll(page, f"{name} at 320 px")
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        assert_no_horizontal_scroll(page, f"{name} at 320 px and 200 % text")
    page.set_viewport_size({"width": 390, "height": 844})
    for name, path in pages.items():
        page.goto(live_server.url + path)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        assert_no_horizontal_scroll(page, f"{name} at 200 % text")


def test_phone_numbers_never_break_across_lines_at_200_percent_text(live_server, page, shops):
    """« 03 80 00 00 00 » split over two lines reads as two numbers: a phone link keeps
    its digits together on a 390 px phone, even with text at 200 %."""
    page.goto(live_server.url + "/commerces/fromagerie-du-pont/")
    page.add_style_tag(content="html { font-size: 200% !important; }")
    links = page.locator('a[href^="tel:"]')
    assert links.count() >= 2  # the shop's and, in the footer, the association's
    for index in range(links.count()):
        lines = links.nth(index).evaluate("link => link.getClientRects().length")
        assert lines == 1, f"{links.nth(index).inner_text()!r} is split over {lines} lines"
