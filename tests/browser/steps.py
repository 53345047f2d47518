"""Steps several browser tests take the same way."""


def add_to_basket(page, base_url, *products):
    for product in products:
        page.goto(base_url + product.get_absolute_url())
        page.get_by_role("button", name="Ajouter au panier").click()


def fill_contact_details(page):
    """Hélène Jourdan's name, e-mail and phone on the checkout form."""
    page.get_by_label("Prénom").fill("Hélène")
    page.locator("#id_last_name").fill("Jourdan")
    page.get_by_label("Adresse e-mail").fill("helene@example.org")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
