"""An order taken by phone, paid by card through the link e-mailed to the customer
(PaymentMethod.payment_link): Stripe's page for that order, the shops told once paid,
and the sweep leaving the order while the customer may still open the link."""
import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from oscar.core.loading import get_model

from plugins.payments import sweep
from plugins.payments.models import Payment
from tests.integration.backoffice.test_phone_orders import NO_EMAIL, take_order

from .conftest import post_event

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
ShopOrder = get_model("order", "ShopOrder")


def link_in(message):
    return re.search(r"https?://\S+/paiement/lien/\S+/", message.body).group(0)


@pytest.fixture
def phone_order(client, town, team, fake_stripe):
    client.force_login(team["staff"])
    order, _response = take_order(client, {**NO_EMAIL, "email": "jeanne@example.org"},
                                  [(town["comte"], 1), (town["novel"], 1)], payment_method="stripe_card")
    client.logout()
    return order


def test_the_customer_pays_through_the_link(client, phone_order, fake_stripe, django_capture_on_commit_callbacks):
    assert phone_order.status == "En attente de paiement"
    [message] = [m for m in mail.outbox if "jeanne@example.org" in m.to]
    assert phone_order.number in message.subject and "33,70" not in message.subject
    assert not [m for m in mail.outbox if "fromagerie-test@example.org" in m.to]  # told once paid

    link = link_in(message)
    response = client.get(link[link.index("/paiement/"):])
    assert response.status_code == 302, message.body
    payment = Payment.objects.get(order=phone_order)
    assert response.status_code == 302 and response["Location"] == payment.session_url
    assert payment.amount == phone_order.total_incl_tax
    # A second visit goes back to the same Stripe page.
    assert client.get(link[link.index("/paiement/"):])["Location"] == payment.session_url

    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(client, fake_stripe, fake_stripe.complete(payment.session_id)).status_code == 200
    phone_order.refresh_from_db()
    assert phone_order.status != "En attente de paiement"
    shop_mail = [m for m in mail.outbox if "fromagerie-test@example.org" in m.to]
    assert len(shop_mail) == 1 and "Commande téléphonique, prise par lara" in shop_mail[0].body
    page = client.get(link[link.index("/paiement/"):]).content.decode()
    assert "Cette commande est payée" in page


def test_a_forged_link_is_a_404(client, phone_order):
    assert client.get("/paiement/lien/pas-un-lien/").status_code == 404


def test_the_sweep_leaves_an_unopened_link_for_three_days(phone_order):
    now = timezone.now()
    assert phone_order not in sweep.stuck_orders(now + datetime.timedelta(hours=5))
    assert phone_order in sweep.stuck_orders(now + datetime.timedelta(days=3, hours=1))


def test_a_town_s_phone_order_link_is_e_mailed_by_that_town(settings, town, fake_stripe):
    from backoffice import roles
    from tests import factories
    from tests.plugins.towns import client_of, second_town, shop_in, town_staff
    from townmarket.models import OutboxMessage

    settings.EMAIL_BACKEND = "townmarket.outbox.OutboxBackend"
    beaune = second_town()
    mustard = factories.product(shop_in(beaune, "Moutarderie de Beaune"), title="Moutarde forte", price="3.50")
    staff = client_of(beaune)
    staff.force_login(town_staff(beaune, roles.ASSOCIATION, "odile"))
    order, _response = take_order(staff, {**NO_EMAIL, "email": "jeanne@example.org"}, [(mustard, 2)],
                                  payment_method="stripe_card")
    assert order.town == beaune
    [message] = OutboxMessage.objects.filter(recipients="jeanne@example.org")
    assert "Le marché de Beaune-Test" in message.subject and "Val-sur-Ouche" not in message.subject
    assert "Le marché de Beaune-Test" in message.payload["from_email"]
    assert message.town == beaune
