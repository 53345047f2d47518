"""On a phone, a massage institute's owner creates a voucher for her massage in the
back office (« Cartes cadeaux et bons »); a customer finds it on the storefront with
its form. axe-core finds nothing on the list and the form, empty or with errors."""
import pytest
from playwright.sync_api import expect

from plugins.gift_cards.models import GiftCardOffer, Kind
from tests import factories
from tests.browser.axe import assert_accessible
from tests.plugins.gift_cards.test_offers_backoffice import service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_merchant_creates_a_voucher_for_her_massage_on_a_phone(live_server, page):
    factories.build_site()
    institute = factories.shop("Des pieds et des mains", kind="Institut de beauté", is_food=False)
    service(institute, "Massage relaxant 1 h", "65.00")
    factories.merchant(institute, "nadia", password="massage-et-soins-21")

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("nadia")
    page.get_by_label("Mot de passe").fill("massage-et-soins-21")
    page.get_by_role("button", name="S'identifier").click()

    page.goto(live_server.url + "/admin/cartes-cadeaux/offres/")
    expect(page.get_by_text("Aucune carte cadeau ni aucun bon pour l'instant.")).to_be_visible()
    assert_accessible(page, "la liste vide")
    page.get_by_role("link", name="Ajouter une carte cadeau ou un bon").click()
    assert_accessible(page, "le formulaire vide")

    # a mistake first: a voucher without its service
    page.get_by_label("Bon pour une prestation").check()
    page.get_by_label("Nom de l'offre").fill("Bon pour un massage 1 h")
    page.get_by_label("Validité (mois)").fill("72")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Choisissez la prestation offerte par ce bon.")).to_be_visible()
    expect(page.get_by_text("La validité va de 1 à 60 mois.")).to_be_visible()
    assert_accessible(page, "le formulaire avec ses erreurs")
    page.screenshot(path="/tmp/gift-card-offer-form.png", full_page=True)

    page.get_by_label("Prestation offerte (bon)").select_option(label="Massage relaxant 1 h")
    page.get_by_label("Validité (mois)").fill("6")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("« Bon pour un massage 1 h » est créée.")).to_be_visible()
    expect(page.get_by_role("link", name="Bon pour un massage 1 h", exact=True)).to_be_visible()
    expect(page.locator(".messages > ul")).to_have_css("opacity", "1")  # Wagtail's message fades in (0.5 s)
    assert_accessible(page, "la liste avec le bon")
    page.screenshot(path="/tmp/gift-card-offers.png", full_page=True)

    offer = GiftCardOffer.objects.get()
    assert (offer.kind, offer.service.title, offer.validity_months) == (Kind.SERVICE, "Massage relaxant 1 h", 6)

    customer = page.context.browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844}).new_page()
    customer.goto(live_server.url + offer.product.get_absolute_url())
    expect(customer.get_by_role("heading", level=1)).to_have_text("Bon pour un massage 1 h")
    customer.get_by_label("Prénom et nom du destinataire").fill("Marie Dupont")
    customer.get_by_label("E-mail du destinataire").fill("marie@example.org")
    customer.get_by_role("button", name="Ajouter au panier", exact=True).click()
    expect(customer.get_by_text("« Bon pour un massage 1 h » pour Marie Dupont est dans votre panier.")).to_be_visible()
    customer.context.close()
