"""The accessibility statement, reached from the footer on a phone: readable, with the
association's phone to call, and without any axe-core violation."""
import pytest
from playwright.sync_api import expect

from shops_pages import skeleton
from tests import factories
from tests.browser.axe import assert_accessible
from townmarket.models import TownSettings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_statement_is_reached_from_the_footer_and_has_no_axe_violation(live_server, page):
    home, _, _ = factories.build_site()
    skeleton.add_legal_pages(home)
    TownSettings.objects.update_or_create(site=home.get_site(), defaults={"phone": "03 80 31 00 00"})

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Accessibilité : partiellement conforme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Déclaration d'accessibilité")
    expect(page.get_by_text("partiellement conforme").first).to_be_visible()
    expect(page.get_by_role("link", name="03 80 31 00 00").first).to_have_attribute("href", "tel:0380310000")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "horizontal scroll on a phone"
    assert_accessible(page)
