"""The Content-Security-Policy blocks nothing the pages need: no violation reported by
Chromium on the storefront's journey or in the back office."""
import pytest

from tests import factories
from tests.browser.steps import add_to_basket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber));
"""


def violations(page):
    return page.evaluate("window.__csp")


def test_no_policy_violation_on_the_storefront_and_in_the_back_office(live_server, page):
    factories.build_site()
    shop = factories.shop("Fromagerie du Pont", kind="Fromagerie")
    comte = factories.product(shop, title="Comté 24 mois", price="14.20", stock=4)
    factories.merchant(shop, "fabienne", password="tomme-et-comte-21")
    page.add_init_script(COLLECT_VIOLATIONS)
    seen = {}

    for url in ["/", "/commerces/", shop.url,
                comte.get_absolute_url(), "/boutique/catalogue/"]:
        page.goto(live_server.url + url)
        seen[url] = violations(page)
    add_to_basket(page, live_server.url, comte)
    seen["add"] = violations(page)
    for url in ["/boutique/basket/", "/boutique/checkout/"]:
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        seen[url] = violations(page)

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("fabienne")
    page.get_by_label("Mot de passe").fill("tomme-et-comte-21")
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_load_state("networkidle")
    seen["/admin/"] = violations(page)
    for url in ["/admin/pages/", "/admin/images/", "/admin/commerce/produits/"]:
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        seen[url] = violations(page)

    assert {url: found for url, found in seen.items() if found} == {}
