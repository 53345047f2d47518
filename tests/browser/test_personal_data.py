"""On a phone (390 px): « Mes données » and « Effacer mon compte » (a wrong password, then
the right one), and the association's « Données personnelles » page: axe-core finds
nothing on any of them."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from backoffice import roles
from oscar_apps.order import workflow
from oscar_apps.order.statuses import ShopOrderStatus
from tests import factories
from tests.browser.axe import assert_accessible
from tests.integration.helpers import place_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Un-mot-de-passe-2026"


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def finished(order):
    for part in order.shop_orders.all():
        for status in (ShopOrderStatus.PREPARING, ShopOrderStatus.READY, ShopOrderStatus.COLLECTED):
            part = workflow.change_status(part, status, notify_customer=False)
    return order


def test_my_data_erasure_and_the_association_tool(live_server, page):
    factories.build_site()
    shop = factories.shop("Fromagerie du Pont", kind="Fromagerie")
    comte = factories.product(shop, title="Comté 24 mois", price="14.20", stock=4)
    helene = get_user_model().objects.create_user("helene", "helene@example.org", PASSWORD,
                                                  first_name="Hélène", last_name="Jourdan")
    client = Client()
    client.force_login(helene)
    order = finished(place_order(client, [(comte, 1)], email="helene@example.org"))
    guest = finished(place_order(Client(), [(comte, 1)], first_name="Odile", last_name="Marchetti",
                                 email="odile@example.org", phone="06 55 44 33 22"))

    page.goto(live_server.url + "/boutique/accounts/login/")
    page.locator("#id_login-username").fill("helene@example.org")
    page.locator("#id_login-password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#id_login-password").press("Enter")
    page.goto(live_server.url + "/boutique/accounts/mes-donnees/")
    assert page.get_by_role("heading", name="Vos commandes", exact=True).is_visible()
    assert page.get_by_text(order.number).first.is_visible()
    assert_accessible(page, "mes données")

    page.get_by_role("link", name="Effacer mon compte").first.click()
    page.get_by_role("heading", name="Ce qui reste", exact=True).wait_for()
    assert_accessible(page, "effacer mon compte")
    page.get_by_label("Votre mot de passe").fill("pas-le-bon")
    page.get_by_role("button", name="Effacer définitivement mon compte").click()
    page.get_by_text("Ce mot de passe n'est pas le bon").wait_for()
    assert_accessible(page, "effacer mon compte, mauvais mot de passe")
    page.get_by_label("Votre mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Effacer définitivement mon compte").click()
    page.get_by_text("Votre compte est effacé").wait_for()
    assert not get_user_model().objects.filter(email="helene@example.org").exists()

    staff = factories.role_user(roles.ASSOCIATION, "lara")
    staff.set_password(PASSWORD)
    staff.save()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("lara")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="S'identifier").click()
    page.goto(live_server.url + "/admin/commerce/donnees-personnelles/")
    page.get_by_label("E-mail ou téléphone du client").fill("06 55 44 33 22")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("cell", name=guest.number).wait_for()
    assert_accessible(page, "données personnelles (association)")
    page.get_by_label("J'ai vérifié que la demande vient de cette personne").check()
    page.get_by_role("button", name=re.compile("Effacer ses coordonnées")).click()
    page.get_by_text(re.compile("Coordonnées effacées sur 1 commande")).wait_for()
