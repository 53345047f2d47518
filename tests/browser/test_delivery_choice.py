"""On a phone, a customer picks home delivery for the grocer and click & collect for
the bookshop: the address appears only when needed, the fees follow the choice, an
address outside the zone is explained, and the order keeps the date."""
import datetime as dt
from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from plugins.local_delivery import clock
from plugins.local_delivery.models import DeliverySettings
from tests import factories
from tests.browser.steps import add_to_basket, fill_contact_details

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Order = get_model("order", "Order")


def test_choosing_home_delivery_at_checkout(live_server, page, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 11, 23, 10, 0))  # a Monday morning
    factories.build_site()
    settings = DeliverySettings.for_town()
    settings.zone_postcodes, settings.zone_communes, settings.local_fee = "21130", "Val-sur-Ouche", Decimal("3.00")
    settings.save()
    grocer = factories.shop("Épicerie du Pont", kind="Épicerie")
    books = factories.shop("Librairie des Quais", kind="Librairie", is_food=False)
    jam = factories.product(grocer, title="Confiture de cassis", price="6.50", stock=5)
    guide = factories.product(books, title="Guide des balades", price="12.00", stock=2, category_name="Livres")

    add_to_basket(page, live_server.url, jam, guide)
    page.goto(live_server.url + "/boutique/checkout/")

    fill_contact_details(page)
    address = page.get_by_role("group", name="Adresse de livraison")
    assert not address.is_visible()  # nothing delivered yet

    grocer_box = page.get_by_role("group", name="Épicerie du Pont")
    grocer_box.get_by_label("Livraison à domicile mardi 24 novembre").check()
    page.get_by_role("group", name="Librairie des Quais").get_by_label("Retrait en magasin (click & collect)").check()
    assert address.is_visible()
    assert page.locator("#checkout-fees").inner_text() == "3,00\u00a0€"
    assert page.locator("#checkout-due").inner_text() == "21,50\u00a0€"

    # First an address outside the zone: explained, and the round is greyed out.
    page.get_by_label("Numéro et rue").fill("8 rue de Rivoli")
    page.get_by_label("Code postal").fill("75001")
    page.get_by_label("Commune").fill("Paris")
    page.get_by_role("button", name="Valider la commande").click()
    expect(page.get_by_role("alert").filter(has_text="hors de la zone de livraison").first).to_be_visible()
    expect(page.get_by_role("group", name="Épicerie du Pont").get_by_label("Livraison à domicile vendredi 27 novembre")).to_be_disabled()
    page.screenshot(path="/tmp/checkout-out-of-zone.png", full_page=True)

    # The right address, checked, brings the rounds back.
    page.get_by_label("Numéro et rue").fill("12 rue des Tanneurs")
    page.get_by_label("Code postal").fill("21130")
    page.get_by_label("Commune").fill("Val-sur-Ouche")
    page.get_by_label("Instructions pour la livraison").fill("Sonner chez Jourdan")
    page.get_by_role("button", name="Voir les livraisons possibles à cette adresse").click()
    page.get_by_role("group", name="Épicerie du Pont").get_by_label("Livraison à domicile vendredi 27 novembre").check()
    assert page.locator("#checkout-due").inner_text() == "21,50\u00a0€"
    page.screenshot(path="/tmp/checkout-delivery.png", full_page=True)
    page.get_by_role("button", name="Valider la commande").click()

    page.wait_for_url("**/checkout/merci/")
    body = page.locator("main").inner_text()
    assert "Livraison à domicile vendredi 27 novembre — 12 rue des Tanneurs, 21130 Val-sur-Ouche (3,00\u00a0€)" in body
    order = Order.objects.get()
    assert order.total_incl_tax == Decimal("21.50")
    assert order.delivery_stops.get().date == dt.date(2026, 11, 27)
