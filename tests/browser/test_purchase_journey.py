"""A customer on a phone buys from two shops and collects in store."""
from decimal import Decimal

import pytest
from django.core import mail
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.steps import accept_terms

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Order = get_model("order", "Order")


def test_home_vitrine_category_basket_checkout_confirmation(live_server, page):
    factories.build_site()
    cheese = factories.shop("Fromagerie du Pont", kind="Fromagerie")
    books = factories.shop("Librairie des Quais", kind="Librairie", is_food=False)
    factories.product(cheese, title="Comté 24 mois", price="14.20", stock=4)
    factories.product(books, title="Guide des balades", price="12.00", stock=2, category_name="Livres")

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Tous les commerces").click()
    page.get_by_role("link", name="Fromagerie du Pont").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Fromagerie du Pont"
    page.get_by_role("button", name="Ajouter au panier « Comté 24 mois »").click()
    expect(page.locator("[data-basket-count]")).to_have_text("1")

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Livres").first.click()
    page.get_by_role("button", name="Ajouter au panier « Guide des balades »").click()
    expect(page.locator("[data-basket-count]")).to_have_text("2")

    page.get_by_role("link", name="Panier 2 article(s)").click()
    assert page.get_by_role("heading", name="Fromagerie du Pont").is_visible()
    assert page.get_by_role("heading", name="Librairie des Quais").is_visible()
    page.get_by_role("link", name="Commander").click()

    page.get_by_label("Prénom").fill("Hélène")
    page.get_by_label("Nom", exact=False).nth(1).fill("Jourdan")
    page.get_by_label("Adresse e-mail").fill("helene@example.org")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    assert page.get_by_label("Retrait en magasin (click & collect)").count() == 2
    page.get_by_role("button", name="Valider la commande").click()
    # The CGV box unticked: a French message, linked to the box, and no order.
    expect(page.get_by_role("link", name="Cochez « J'ai lu et j'accepte les conditions générales de vente » pour "
                                          "passer la commande.")).to_be_visible()
    assert not Order.objects.exists()
    assert page.get_by_role("link", name="conditions générales de vente", exact=True).get_attribute(
        "href") == "/conditions-generales-de-vente/"
    assert_accessible(page, "commande sans les CGV cochées")
    accept_terms(page)
    page.get_by_role("button", name="Valider la commande").click()

    page.wait_for_url("**/checkout/merci/")
    number = page.locator(".order-number").inner_text()
    order = Order.objects.get(number=number)
    assert order.total_incl_tax == Decimal("26.20")
    assert {tuple(m.to)[0] for m in mail.outbox} >= {"helene@example.org", "fromagerie-du-pont@example.org"}
