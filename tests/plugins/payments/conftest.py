import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.integration.helpers import add_to_basket, checkout_data
from tests.support.fake_stripe import FakeStripe

Order = get_model("order", "Order")
WEBHOOK = "/paiement/stripe/webhook/"


@pytest.fixture
def fake_stripe(settings):
    """The plugin configured against a fake Stripe on 127.0.0.1, as the environment would."""
    server = FakeStripe().start()
    settings.STRIPE_SECRET_KEY = server.api_key
    settings.STRIPE_WEBHOOK_SECRET = server.webhook_secret
    settings.STRIPE_API_BASE = server.url
    settings.STRIPE_TIMEOUT = 1.0
    settings.STRIPE_MAX_NETWORK_RETRIES = 1
    yield server
    server.stop()


def start_online_payment(client, lines):
    """A guest fills the basket and chooses to pay by card; returns (order, response)."""
    for product, quantity in lines:
        add_to_basket(client, product, quantity)
    response = client.post(reverse("checkout:index"), checkout_data(client, payment_method="stripe_card"))
    return Order.objects.order_by("-pk").first(), response


def post_event(client, fake, event, **kwargs):
    payload, signature = fake.signed(event, **kwargs)
    return client.post(WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)


@pytest.fixture
def paid_order(client, town, fake_stripe, django_capture_on_commit_callbacks):
    """A guest bought 1 Comté (12,40 €) and 1 Roman policier (8,90 €) by card."""
    order, _response = start_online_payment(client, [(town["comte"], 1), (town["novel"], 1)])
    session_id = order.online_payment.session_id
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(client, fake_stripe, fake_stripe.complete(session_id)).status_code == 200
    order.refresh_from_db()
    return order
