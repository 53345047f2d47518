"""On a phone: a merchant types their shop's legal identity (a wrong SIRET first), the
vitrine names the seller, and the customer opens their invoice from the tracking page."""
import pytest
from django.test import Client
from playwright.sync_api import expect
from stdnum import luhn

from oscar_apps.order import tracking
from oscar_apps.partner.legal_identity import format_siret, vat_number_for
from tests import factories
from tests.browser.axe import assert_accessible
from tests.integration.helpers import place_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def made_up_siret():
    siren = "81234555" + luhn.calc_check_digit("81234555")
    return siren + "0001" + luhn.calc_check_digit(siren + "0001")


def test_a_merchant_gives_the_legal_identity_and_the_customer_gets_the_invoice(live_server, page):
    factories.build_site()
    shop = factories.shop("Fromagerie du Pont", kind="Fromagerie")
    comte = factories.product(shop, title="Comté 24 mois", price="14.20", stock=4)
    factories.merchant(shop, "fabienne", password="tomme-et-comte-21")
    siret = made_up_siret()

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("fabienne")
    page.get_by_label("Mot de passe").fill("tomme-et-comte-21")
    page.get_by_role("button", name="S'identifier").click()
    page.goto(live_server.url + "/admin/commerce/identite-legale/")
    assert_accessible(page, "Identité légale")

    page.get_by_label("Raison sociale ou nom de l'entrepreneur").fill("SARL Fromagerie du Pont")
    page.get_by_label("Forme juridique").fill("SARL au capital de 8 000 €")
    page.get_by_label("SIRET").fill(siret[:-1] + str((int(siret[-1]) + 1) % 10))  # one digit wrong
    page.get_by_label("N° de TVA intracommunautaire").fill(vat_number_for(siret))
    page.get_by_label("Adresse (siège)").fill("2 quai de Saône")
    page.get_by_label("Code postal (siège)").fill("21130")
    page.get_by_label("Commune (siège)").fill("Val-sur-Ouche")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Ce numéro SIRET n'est pas valide")).to_be_visible()
    assert_accessible(page, "Identité légale, SIRET refusé")

    page.get_by_label("SIRET").fill(format_siret(siret))
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Identité légale de Fromagerie du Pont enregistrée.")).to_be_visible()

    page.goto(live_server.url + shop.url)
    expect(page.get_by_text(f"Vendu par : SARL Fromagerie du Pont, SARL au capital de 8 000 €, "
                            f"SIRET {format_siret(siret)}")).to_be_visible()

    order = place_order(Client(), [(comte, 1)])
    page.goto(live_server.url + tracking.path_for(order))
    link = page.get_by_role("link", name="Facture F-FROMAGERIE-DU-PONT-")
    expect(link).to_be_visible()
    assert_accessible(page, "suivi de commande avec sa facture")
    pdf = page.context.request.get(live_server.url + link.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
