"""On a phone, a cheese shop's owner types her IBAN in the back office (« Coordonnées
bancaires »), mistyped first; the association's treasurer then sees on the settlement
page who the SEPA transfer file pays and who it leaves out. axe-core finds nothing on
the form, empty or with its error, nor on the settlement page."""
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Site

from plugins.gift_cards import ledger
from plugins.gift_cards.models import Kind
from plugins.payments.models import PayoutSettings, ShopPayoutAccount
from tests import factories
from tests.browser.axe import assert_accessible
from tests.plugins.gift_cards.conftest import make_card

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, username, password):
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="S'identifier").click()


def test_a_merchant_types_her_iban_and_the_treasurer_sees_the_transfers(live_server, page):
    from backoffice import roles

    factories.build_site()
    cheese = factories.shop("Fromagerie du Pont", kind="Fromagerie")
    books = factories.shop("Librairie du Pont", kind="Librairie", is_food=False)
    factories.merchant(cheese, "claire", password="comte-et-reblochon-21")
    # Town cards taken at each counter: the association owes both shops.
    ledger.spend(make_card(Kind.TOWN, "15.00"), Decimal("15.00"), cheese.partner)
    ledger.spend(make_card(Kind.TOWN, "20.00"), Decimal("20.00"), books.partner)
    settings = PayoutSettings.for_site(Site.objects.get(is_default_site=True))
    settings.iban = "FR1420041010050500013M02606"
    settings.save()

    sign_in(page, live_server.url, "claire", "comte-et-reblochon-21")
    page.goto(live_server.url + "/admin/paiements/coordonnees-bancaires/")
    expect(page.get_by_text("Aucun compte enregistré")).to_be_visible()
    assert_accessible(page, "le formulaire vide")
    page.get_by_label("IBAN").fill("FR76 3000 6000 0112 3456 7890 188")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Cet IBAN est erroné : sa clé de contrôle ne correspond pas.")).to_be_visible()
    assert_accessible(page, "le formulaire avec son erreur")
    assert not ShopPayoutAccount.objects.exists()

    page.get_by_label("IBAN").fill("FR76 3000 6000 0112 3456 7890 189")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Coordonnées bancaires de Fromagerie du Pont enregistrées.")).to_be_visible()
    expect(page.get_by_text("FR76 3000 6000 0112 3456 7890 189")).to_be_visible()

    treasurer = page.context.browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844}).new_page()
    user = factories.role_user(roles.ASSOCIATION, "tresoriere")
    user.set_password("tresorerie-du-marche-21")
    user.save()
    sign_in(treasurer, live_server.url, "tresoriere", "tresorerie-du-marche-21")
    today = timezone.localdate()
    treasurer.goto(f"{live_server.url}/admin/paiements/reglements/?du={today.replace(day=1).isoformat()}"
                   f"&au={today.isoformat()}")
    expect(treasurer.get_by_role("heading", name="Virements SEPA aux commerces")).to_be_visible()
    expect(treasurer.get_by_text("Sans IBAN, ces commerces ne sont pas dans le fichier de virements : "
                                 "Librairie du Pont.")).to_be_visible()
    expect(treasurer.get_by_text("1 virement, 15,00")).to_be_visible()
    assert_accessible(treasurer, "les règlements et les virements")
    # Its 14 columns scroll inside their own frame: the page itself fits a 390 px phone.
    # Its 14 columns (1,700 px) scroll inside their own frame, which a keyboard can reach:
    # they were cut off at the phone's edge, out of reach.
    table_width, frame_width, overflow = treasurer.evaluate("""() => {
        const table = document.querySelector('table.listing'), frame = table.parentElement;
        return [table.scrollWidth, frame.clientWidth, getComputedStyle(frame).overflowX]; }""")
    assert table_width > frame_width and frame_width <= 390 and overflow in ("auto", "scroll")
    with treasurer.expect_download() as download:
        treasurer.get_by_role("link", name="Télécharger les virements (XML SEPA)").click()
    assert b"FR7630006000011234567890189" in open(download.value.path(), "rb").read()
