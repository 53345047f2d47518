"""Steps several browser tests take the same way."""
from playwright.sync_api import expect


def add_to_basket(page, base_url, *products):
    """« Ajouter au panier » on each product's page; the page stays where it is, so
    wait until the header's basket count has changed."""
    for product in products:
        page.goto(base_url + product.get_absolute_url())
        count = page.locator("[data-basket-count]")
        before = count.inner_text()
        page.get_by_role("button", name="Ajouter au panier", exact=True).click()
        expect(count).not_to_have_text(before)


def fill_contact_details(page):
    """Hélène Jourdan's name, e-mail and phone on the checkout form."""
    page.get_by_label("Prénom").fill("Hélène")
    page.locator("#id_last_name").fill("Jourdan")
    page.get_by_label("Adresse e-mail").fill("helene@example.org")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    accept_terms(page)


def accept_terms(page):
    """Ticks « J'ai lu et j'accepte les conditions générales de vente », and « Je confirme avoir
    18 ans ou plus » when the basket holds alcohol (the only time it is asked)."""
    page.get_by_role("checkbox", name="J'ai lu et j'accepte les conditions générales de vente").check()
    adult = page.get_by_role("checkbox", name="Je confirme avoir 18 ans ou plus")
    if adult.count():
        adult.check()
