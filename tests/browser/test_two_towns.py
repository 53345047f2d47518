"""The demo's two towns (issue 20), opened in Chromium on their own host names, as `make
run` serves them: http://val-sur-ouche.localhost:<port>/ and
http://saint-jean.localhost:<port>/ (Chromium resolves *.localhost to 127.0.0.1). On a
phone, each shows its own name, colour and shops only, with no axe-core violation."""
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VAL_SUR_OUCHE = ["L'Épicerie du Marché", "Cave Morey", "Fromagerie de la Saône"]
SAINT_JEAN = ["Boulangerie du Port", "Fromagerie des Mariniers", "Cave de la Saône", "Épicerie de l'Écluse",
              "Fleurs du Canal", "Librairie du Halage"]


def test_each_demo_town_on_its_host_name_shows_its_own_name_and_shops(live_server, page, monkeypatch):
    port = urlsplit(live_server.url).port
    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.setenv("PORT", str(port))  # the towns' Sites where this server listens, as make run's PORT does
    call_command("load_demo_town", no_images=True, verbosity=0)

    towns = [
        (f"http://val-sur-ouche.localhost:{port}", "Le marché de Val-sur-Ouche", "rgb(31, 95, 58)",
         VAL_SUR_OUCHE, SAINT_JEAN),
        (f"http://saint-jean.localhost:{port}", "Le marché de Saint-Jean-de-Losne", "rgb(29, 78, 137)",
         SAINT_JEAN, VAL_SUR_OUCHE),
    ]
    for address, name, colour, own, others in towns:
        page.goto(address + "/")
        expect(page).to_have_url(address + "/")
        expect(page.locator(".site-name")).to_have_text(name)
        expect(page.locator(".site-header")).to_have_css("background-color", colour)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"horizontal scroll on {address}"
        assert_accessible(page, f"the home page of {name}")

        page.goto(address + "/commerces/")
        for shop in own:
            expect(page.get_by_role("link", name=shop, exact=True).first).to_be_visible()
        for shop in others:
            expect(page.get_by_text(shop, exact=True)).to_have_count(0)
