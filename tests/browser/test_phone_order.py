"""Issue 17's journey: association staff take, on a phone, the order of a customer who
called (no e-mail address) from three shops, the wine delivered by a volunteer and
paid at the door; the volunteer opens Tuesday's round on a phone, sees what to collect
at that door and records the cash; the shop's order shows it paid and the settlement
counts it. axe-core: no violation on each new page, 390 px wide."""
import io

import pytest
from django.core import mail
from django.utils import timezone
from oscar.core.loading import get_model
from playwright.sync_api import expect
from pypdf import PdfReader

from plugins.payments.settlement import settlements
from tests import factories
from tests.browser.axe import assert_accessible
from tests.plugins.local_delivery.conftest import frozen_clock, market, zone  # noqa: F401  the fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Order = get_model("order", "Order")
Category = get_model("catalogue", "Category")


def log_in(page, base_url, username):
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill("pw-role-2026")
    page.get_by_role("button", name="S'identifier").click()
    expect(page).not_to_have_url(base_url + "/admin/login/")


def settle(page):
    """Wait for Wagtail's message to finish fading in (wait_for_function needs eval, refused by the CSP)."""
    for _ in range(50):
        if page.evaluate("() => document.getAnimations().every(a => a.playState !== 'running')"):
            return
        page.wait_for_timeout(100)


def search_and_add(page, query, title):
    page.get_by_label("Produit, commerce ou rayon").fill(query)
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("button", name=f"Ajouter « {title} »").click()
    expect(page.get_by_text(f"« {title} » × 1 ajouté au panier.")).to_be_visible()


def test_staff_take_a_phone_order_the_volunteer_collects_the_cash(live_server, browser, page, market):
    from backoffice import roles

    Category.objects.filter(name="Vins").update(contains_alcohol=True)
    factories.role_user(roles.ASSOCIATION, "lara")
    factories.role_user(roles.VOLUNTEERS, "paul")
    base = live_server.url

    # Lara, on her phone, takes the call.
    log_in(page, base, "lara")
    page.goto(base + "/admin/commerce/telephone/")  # « Commande par téléphone » in the menu
    expect(page.get_by_role("heading", name="Nouveau client")).to_be_visible()
    assert_accessible(page, "the customer step")
    page.get_by_label("Prénom").fill("Jeanne")
    page.get_by_role("textbox", name="Nom", exact=True).fill("Martin")
    page.get_by_role("textbox", name="Téléphone", exact=True).fill("06 11 22 33 44")
    page.get_by_role("button", name="Continuer : le panier").click()

    search_and_add(page, "comté", "Comté 18 mois")
    search_and_add(page, "roman", "Roman policier")
    search_and_add(page, "marsannay", "Marsannay")
    settle(page)
    assert_accessible(page, "the basket step, with search results")
    page.get_by_role("link", name="Continuer : retrait, livraison et paiement").click()

    page.get_by_label("Numéro et rue").fill("2 rue Haute")
    page.get_by_label("Code postal").fill("21130")
    page.get_by_label("Commune").fill("Val-sur-Ouche")
    page.get_by_role("button", name="Voir les livraisons possibles à cette adresse").click()
    page.get_by_role("group", name="Cave Test", exact=True).get_by_label("Livraison à domicile mardi 24 novembre").check()
    for shop in ("Fromagerie Test", "Librairie Test"):
        page.get_by_role("group", name=shop, exact=True).get_by_label("Retrait en magasin (click & collect)").check()
    page.get_by_label("Payer au commerçant").check()
    assert_accessible(page, "the fulfilment and payment step")
    page.get_by_role("button", name="Valider la commande").click()
    # Wine in the basket: refused until the customer says they are 18 or over.
    expect(page.get_by_role("alert").filter(has_text="18 ans ou plus").first).to_be_visible()
    assert not Order.objects.exists()
    page.get_by_label("Le client confirme avoir 18 ans ou plus").check()
    page.get_by_label("Le client a été informé des conditions générales de vente").check()
    page.get_by_role("button", name="Valider la commande").click()

    expect(page.get_by_text("Commande téléphonique, prise par lara")).to_be_visible()
    settle(page)
    assert_accessible(page, "the order taken")
    order = Order.objects.get()
    assert (order.channel, order.customer_name, order.guest_email, order.taken_by.username) == (
        "phone", "Jeanne Martin", "", "lara")
    assert order.adult_confirmed_at is not None and order.terms_accepted_at is not None
    assert not [message for message in mail.outbox if not message.to[0].endswith("@example.org")]
    summary = page.request.get(base + page.get_by_role("link", name="Récapitulatif à imprimer (PDF)").get_attribute("href"))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(summary.body())).pages).split())
    assert "Cave Test" in text and "À payer à la livraison : 22,00 €" in text and "06 11 22 33 44" in text

    # Paul opens Tuesday's round on his phone and collects the wine's price at the door.
    volunteer = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844}).new_page()
    log_in(volunteer, base, "paul")
    volunteer.goto(base + "/admin/livraison/tournees/2026-11-24/")
    stop = volunteer.locator(".ld-stop").filter(has_text="Jeanne Martin")
    expect(stop).to_contain_text("À encaisser : 22,00\u00a0€")
    volunteer.get_by_label("Montant reçu pour Cave Test (€)").fill("22,00")
    volunteer.get_by_role("group", name="Moyen de paiement pour Cave Test").get_by_label("Espèces").check()
    volunteer.get_by_role("button", name="Payé (Cave Test)", exact=True).click()
    expect(volunteer.get_by_text("Cave Test : 22,00\u00a0€ reçus (Espèces).")).to_be_visible()

    # The shop's order shows it paid; the settlement counts it.
    wine = order.shop_orders.get(partner=market["wine_shop"].partner)
    page.goto(base + f"/admin/commerce/commandes/{wine.pk}/")
    expect(page.get_by_text("Payée en magasin")).to_be_visible()
    expect(page.get_by_text("Commande téléphonique, prise par lara")).to_be_visible()
    today = timezone.localdate()
    [row] = settlements([market["wine_shop"].partner], today, today)
    assert (row.orders, str(row.in_store)) == (1, "22.00")
