"""On a phone, a customer pays a two-shop basket by card: the fake Stripe's page
refuses a first card, accepts a second, delivers the signed webhook to the running
site, and sends the customer back to a confirmation that says it is paid."""
import pytest
from django.core import mail
from oscar.core.loading import get_model
from playwright.sync_api import expect

from oscar_apps.order.statuses import OrderStatus
from plugins.payments.models import Payment
from tests import factories
from tests.browser.steps import add_to_basket, fill_contact_details
from tests.plugins.payments.conftest import WEBHOOK, fake_stripe  # noqa: F401  the fixture
from tests.support.fake_stripe import DECLINED_CARD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Order = get_model("order", "Order")


def test_paying_the_basket_by_card(live_server, page, fake_stripe):  # noqa: F811
    fake_stripe.webhook_url = live_server.url + WEBHOOK
    factories.build_site()
    cheese = factories.shop("Fromagerie du Pont", kind="Fromagerie")
    books = factories.shop("Librairie des Quais", kind="Librairie", is_food=False)
    comte = factories.product(cheese, title="Comté 24 mois", price="14.20", stock=4)
    guide = factories.product(books, title="Guide des balades", price="12.00", stock=2, category_name="Livres")
    add_to_basket(page, live_server.url, comte, guide)

    page.goto(live_server.url + "/boutique/checkout/")
    fill_contact_details(page)
    for shop in ("Fromagerie du Pont", "Librairie des Quais"):
        page.get_by_role("group", name=shop).get_by_label("Retrait en magasin (click & collect)").check()
    page.get_by_label("Carte bancaire en ligne").check()
    expect(page.get_by_text("Paiement sécurisé (Stripe)")).to_be_visible()
    page.get_by_role("button", name="Valider la commande").click()

    # Stripe's page (the fake one), for the whole basket.
    expect(page.get_by_role("heading", name="Payer 26,20 €")).to_be_visible()
    assert page.url.startswith(fake_stripe.url)
    page.get_by_label("Numéro de carte").fill(DECLINED_CARD)
    page.get_by_role("button", name="Payer 26,20 €").click()
    expect(page.get_by_role("alert")).to_have_text("Votre carte a été refusée.")
    order = Order.objects.get()
    assert order.status == "En attente de paiement" and mail.outbox == []
    assert "Carte refusée" in Payment.objects.get(order=order).last_error

    page.get_by_label("Numéro de carte").fill("4242 4242 4242 4242")
    page.get_by_role("button", name="Payer 26,20 €").click()

    expect(page.get_by_role("heading", name="Merci, votre commande est enregistrée")).to_be_visible()
    expect(page.locator(".order-payment")).to_contain_text("Payé : 26,20")
    page.screenshot(path="/tmp/online-payment-thanks.png", full_page=True)
    assert fake_stripe.deliveries == [("payment_intent.payment_failed", 200), ("checkout.session.completed", 200)]
    order.refresh_from_db()
    assert order.status == "Nouvelle" and order.online_payment.status == Payment.Status.PAID
    assert "helene@example.org" in [address for message in mail.outbox for address in message.to]


def test_going_back_from_the_payment_page_gives_the_basket_back(live_server, page, fake_stripe):  # noqa: F811
    fake_stripe.webhook_url = live_server.url + WEBHOOK
    factories.build_site()
    cheese = factories.shop("Fromagerie du Pont", kind="Fromagerie")
    comte = factories.product(cheese, title="Comté 24 mois", price="14.20", stock=4)
    add_to_basket(page, live_server.url, comte)
    page.goto(live_server.url + "/boutique/checkout/")
    fill_contact_details(page)
    page.get_by_label("Carte bancaire en ligne").check()
    page.get_by_role("button", name="Valider la commande").click()

    page.get_by_role("link", name="Retour au site").click()
    expect(page.get_by_text("Paiement annulé : rien n'a été débité.")).to_be_visible()
    expect(page.get_by_text("Comté 24 mois").first).to_be_visible()
    assert Order.objects.get().status == OrderStatus.PAYMENT_ABANDONED
