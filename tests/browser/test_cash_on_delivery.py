"""A volunteer on a phone opens Tuesday's round, sees what to collect at a door from
each shop, and records the cash paid for the wine: the shop's order shows it paid."""
import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from plugins.local_delivery.models import DoorPayment
from plugins.payments.models import InStorePayment
from tests import factories
from tests.browser.axe import assert_accessible
from tests.plugins.local_delivery.conftest import frozen_clock, market, zone  # noqa: F401  the fixtures
from tests.plugins.local_delivery.test_rounds import order_for_tuesday

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ShopOrder = get_model("order", "ShopOrder")


def test_the_volunteer_records_cash_at_the_door(live_server, page, market):
    from backoffice import roles

    factories.role_user(roles.VOLUNTEERS, "paul")
    order = order_for_tuesday(market, {"first_name": "Anne", "last_name": "Roy", "delivery_line1": "2 rue Haute",
                                       "delivery_postcode": "21130"},
                              products=[market["comte"], market["wine"]])
    wine = order.shop_orders.get(partner=market["wine_shop"].partner)
    cheese = order.shop_orders.get(partner=market["cheese"].partner)

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("paul")
    page.get_by_label("Mot de passe").fill("pw-role-2026")
    page.get_by_role("button", name="S'identifier").click()
    page.goto(live_server.url + "/admin/livraison/tournees/2026-11-24/")

    stop = page.locator(".ld-stop").filter(has_text="Anne Roy")
    expect(stop).to_contain_text("À encaisser : 22,00\u00a0€")   # the wine
    expect(stop).to_contain_text("À encaisser : 12,40\u00a0€")   # the comté
    expect(stop).to_contain_text("Total à encaisser à cette porte : 34,40\u00a0€")
    assert_accessible(page, "the round page")

    page.get_by_label("Montant reçu pour Cave Test (€)").fill("22,00")
    page.get_by_role("group", name="Moyen de paiement pour Cave Test").get_by_label("Espèces").check()
    page.get_by_role("button", name="Payé (Cave Test)", exact=True).click()
    expect(page.get_by_text("Cave Test : 22,00\u00a0€ reçus (Espèces).")).to_be_visible()
    expect(page.locator(".ld-stop").filter(has_text="Anne Roy")).to_contain_text("Payé : 22,00\u00a0€ (Espèces)")
    for _ in range(50):  # the message's fade-in over (wait_for_function needs eval, refused by the CSP)
        if page.evaluate("() => document.getAnimations().every(a => a.playState !== 'running')"):
            break
        page.wait_for_timeout(100)
    assert_accessible(page, "the round page after recording")
    page.screenshot(path="/tmp/round-cash.png", full_page=True)

    assert DoorPayment.objects.get(shop_order=wine).amount == wine.amount_due
    assert InStorePayment.objects.get(shop_order=wine).means == "especes"
    assert not InStorePayment.objects.filter(shop_order=cheese).exists()
