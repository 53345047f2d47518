"""Paying a whole basket by card: the real `stripe` library against the fake Stripe,
from the checkout to the verified webhook, and every way it can go wrong."""
import logging
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model

from backoffice.orders.queries import shop_orders_for
from oscar_apps.checkout.awaiting_payment import ABANDONED, AWAITING_PAYMENT
from plugins.payments.models import Payment, StripeEvent
from tests.integration.helpers import add_to_basket, checkout_data

from .conftest import WEBHOOK, post_event, start_online_payment

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")
StockRecord = get_model("partner", "StockRecord")
Source = get_model("payment", "Source")
Order = get_model("order", "Order")


def allocated(product):
    return StockRecord.objects.get(product=product).num_allocated or 0


def basket_titles(client):
    return [line.product.get_title() for line in client.get(reverse("basket:summary")).context["basket"].all_lines()]


def test_card_payment_is_offered_only_with_stripe_keys(client, town, settings):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    add_to_basket(client, town["comte"])
    page = client.get(reverse("checkout:index"))
    assert [code for code, _label in page.context["form"].fields["payment_method"].choices] == ["pay_at_pickup"]

    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = "sk_test_x", "whsec_x"
    page = client.get(reverse("checkout:index"))
    assert "Carte bancaire en ligne" in page.content.decode()
    assert [code for code, _label in page.context["form"].fields["payment_method"].choices] == ["pay_at_pickup", "stripe_card"]


def test_the_order_waits_for_its_payment_then_a_verified_webhook_sends_it_to_the_shops(
        client, town, team, fake_stripe, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order, response = start_online_payment(client, [(town["comte"], 1), (town["novel"], 1)])

    # Off to Stripe's page, for 21,30 € in cents, one line per shop, with an idempotency key.
    payment = order.online_payment
    assert response.status_code == 302 and response["Location"] == f"{fake_stripe.url}/pay/{payment.session_id}"
    [create] = fake_stripe.calls("POST", "/v1/checkout/sessions")
    assert create["idempotency_key"] == f"townmarket-checkout-{order.number}"
    assert create["authorization"] == f"Bearer {fake_stripe.api_key}"
    assert [(item["price_data"]["product_data"]["name"], item["price_data"]["unit_amount"])
            for item in create["params"]["line_items"]] == [("Fromagerie Test — 1 article(s)", "1240"),
                                                            ("Librairie Test — 1 article(s)", "890")]
    assert fake_stripe.sessions[payment.session_id]["amount_total"] == 2130
    assert create["params"]["metadata"] == {"order_number": order.number, "payment_id": str(payment.pk)}
    assert create["params"]["client_reference_id"] == order.number

    # Meanwhile: not paid, stock held, basket frozen, shops unaware, nobody e-mailed.
    assert order.status == AWAITING_PAYMENT and payment.status == Payment.Status.PENDING
    assert allocated(town["comte"]) == 1
    assert Basket.objects.get(pk=order.basket_id).status == Basket.FROZEN
    assert not shop_orders_for(team["alice"]).exists()
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        answer = post_event(client, fake_stripe, fake_stripe.complete(payment.session_id))
    assert answer.status_code == 200 and answer.json() == {"outcome": "payee"}

    order.refresh_from_db()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID and payment.paid_at and payment.payment_intent.startswith("pi_")
    assert order.status == "Nouvelle"
    assert Basket.objects.get(pk=order.basket_id).status == Basket.SUBMITTED
    assert [so.partner.name for so in shop_orders_for(team["alice"])] == ["Fromagerie Test"]
    assert Source.objects.get(order=order).amount_debited == Decimal("21.30")
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["alice@example.org", "bob@example.org", "fromagerie-test@example.org",
                          "helene@example.org", "librairie-test@example.org"]
    customer = next(message for message in mail.outbox if message.to == ["helene@example.org"])
    assert "Le paiement se fait chez chaque commerçant" not in customer.body

    # Stripe sends the customer back: the thank-you page says it is paid.
    page = client.get(reverse("payments_return", args=[order.number]), follow=True)
    assert "Payé : 21,30" in page.content.decode()


def test_the_same_event_twice_is_applied_once(client, paid_order, fake_stripe, django_capture_on_commit_callbacks):
    event = fake_stripe.complete(paid_order.online_payment.session_id)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(client, fake_stripe, event).json() == {"outcome": "deja payee"}
        assert post_event(client, fake_stripe, event).json() == {"outcome": "deja recu"}
    assert Source.objects.filter(order=paid_order).count() == 1
    assert StripeEvent.objects.filter(event_id=event["id"]).count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize("tamper", ["wrong secret", "changed payload", "old timestamp", "no signature", "not json"])
def test_a_webhook_that_stripe_did_not_sign_is_refused_and_changes_nothing(client, town, fake_stripe, tamper):
    order, _response = start_online_payment(client, [(town["comte"], 1)])
    event = fake_stripe.complete(order.online_payment.session_id)
    payload, signature = fake_stripe.signed(event)
    headers = {"HTTP_STRIPE_SIGNATURE": signature}
    if tamper == "wrong secret":
        payload, headers["HTTP_STRIPE_SIGNATURE"] = fake_stripe.signed(event, secret="whsec_someone_else")
    elif tamper == "changed payload":
        payload = payload.replace(b'"amount_total": 1240', b'"amount_total": 1')
    elif tamper == "old timestamp":
        payload, headers["HTTP_STRIPE_SIGNATURE"] = fake_stripe.signed(event, timestamp=1_600_000_000)
    elif tamper == "no signature":
        del headers["HTTP_STRIPE_SIGNATURE"]
    elif tamper == "not json":
        payload = b"\xff\xfe not json"
        headers["HTTP_STRIPE_SIGNATURE"] = fake_stripe.signed(event)[1]
    answer = client.post(WEBHOOK, payload, content_type="application/json", **headers)
    assert answer.status_code == 400
    order.refresh_from_db()
    assert order.status == AWAITING_PAYMENT and order.online_payment.status == Payment.Status.PENDING
    assert not StripeEvent.objects.exists()


def test_a_webhook_for_an_unknown_order_is_acknowledged_and_changes_nothing(client, town, fake_stripe, caplog):
    order, _response = start_online_payment(client, [(town["comte"], 1)])
    stranger = fake_stripe.event("checkout.session.completed", {
        "id": "cs_test_elsewhere", "object": "checkout.session", "payment_status": "paid", "amount_total": 1240,
        "currency": "eur", "payment_intent": "pi_x", "metadata": {"order_number": "999999"}})
    with caplog.at_level(logging.WARNING):
        answer = post_event(client, fake_stripe, stranger)
    assert answer.status_code == 200 and answer.json() == {"outcome": "commande inconnue"}
    assert "unknown order '999999'" in caplog.text
    order.refresh_from_db()
    assert order.online_payment.status == Payment.Status.PENDING
    assert not Source.objects.exists()


@pytest.mark.parametrize("row_id", ["²", "99999999999999999999"])
def test_a_webhook_naming_no_row_of_ours_is_acknowledged(client, town, fake_stripe, row_id):
    failed = fake_stripe.event("payment_intent.payment_failed", {
        "id": "pi_elsewhere", "object": "payment_intent", "metadata": {"payment_id": row_id}})
    refund = fake_stripe.event("refund.updated", {
        "id": "re_elsewhere", "object": "refund", "status": "succeeded", "metadata": {"refund_id": row_id}})
    assert post_event(client, fake_stripe, failed).json() == {"outcome": "commande inconnue"}
    assert post_event(client, fake_stripe, refund).json() == {"outcome": "remboursement inconnu"}


def test_an_amount_that_does_not_match_the_order_does_not_pay_it(client, town, fake_stripe):
    order, _response = start_online_payment(client, [(town["comte"], 1)])
    event = fake_stripe.complete(order.online_payment.session_id)
    event["data"]["object"]["amount_total"] = 100
    assert post_event(client, fake_stripe, event).json() == {"outcome": "montant inattendu"}
    payment = Payment.objects.get(order=order)
    assert payment.status == Payment.Status.PENDING and "inattendu" in payment.last_error


def test_late_events_do_not_undo_a_payment(client, paid_order, fake_stripe):
    """An expiry, or a failure, delivered after the payment changes nothing."""
    payment = paid_order.online_payment
    late_expiry = fake_stripe.event("checkout.session.expired", dict(fake_stripe.sessions[payment.session_id], status="expired"))
    assert post_event(client, fake_stripe, late_expiry).json() == {"outcome": "deja traitee"}
    late_failure = fake_stripe.decline(payment.session_id)
    post_event(client, fake_stripe, late_failure)
    paid_order.refresh_from_db()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID and payment.last_error == ""
    assert paid_order.status == "Nouvelle"


def test_a_declined_card_leaves_the_order_waiting_and_returning_gives_the_basket_back(client, town, fake_stripe):
    order, _response = start_online_payment(client, [(town["comte"], 2), (town["novel"], 1)])
    payment = order.online_payment
    assert post_event(client, fake_stripe, fake_stripe.decline(payment.session_id)).json() == {"outcome": "echec enregistre"}
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING and payment.last_error == "Carte refusée (generic_decline)"

    # The waiting page explains and offers both ways on.
    page = client.get(reverse("payments_return", args=[order.number])).content.decode()
    assert "Carte refusée" in page and payment.session_url in page and 'http-equiv="refresh"' in page

    # « Retour » on Stripe's page: the session is expired first, then the basket is back.
    response = client.get(reverse("payments_cancel", args=[order.number]))
    assert response.status_code == 302 and response["Location"] == reverse("basket:summary")
    [expire] = fake_stripe.calls("POST", f"/v1/checkout/sessions/{payment.session_id}/expire")
    assert expire["idempotency_key"] == f"townmarket-expire-{payment.session_id}"
    order.refresh_from_db()
    assert order.status == ABANDONED and Payment.objects.get(pk=payment.pk).status == Payment.Status.ABANDONED
    assert set(order.shop_orders.values_list("status", flat=True)) == {"annulee"}
    assert allocated(town["comte"]) == 0 and allocated(town["novel"]) == 0
    assert sorted(basket_titles(client)) == ["Comté 18 mois", "Roman policier"]
    assert mail.outbox == []  # the customer knows: no « commande annulée » e-mail

    # And they can pay at pickup instead, from the same basket.
    client.post(reverse("checkout:index"), checkout_data(client))
    assert Order.objects.order_by("-pk").first().status == "Nouvelle"


@pytest.mark.parametrize("trouble", ["timeout", "server error"])
def test_when_stripe_fails_at_the_start_the_basket_is_intact(client, town, fake_stripe, caplog, trouble):
    if trouble == "timeout":
        fake_stripe.delay = 1.5  # longer than STRIPE_TIMEOUT = 1 s
    else:
        fake_stripe.fail_next("/v1/checkout/sessions", status=500)
        fake_stripe.fail_next("/v1/checkout/sessions", status=500)
    with caplog.at_level(logging.WARNING):
        order, response = start_online_payment(client, [(town["comte"], 1)])
    assert response.status_code == 302 and response["Location"] == reverse("checkout:index")
    page = client.get(response["Location"]).content.decode()
    assert "Le paiement en ligne n&#x27;a pas pu commencer" in page or "Le paiement en ligne n'a pas pu commencer" in page
    # The library retried once, with the same idempotency key: one session at most.
    keys = [call["idempotency_key"] for call in fake_stripe.calls("POST", "/v1/checkout/sessions")]
    assert keys == [f"townmarket-checkout-{order.number}"] * 2
    order.refresh_from_db()
    assert order.status == ABANDONED and allocated(town["comte"]) == 0
    assert basket_titles(client) == ["Comté 18 mois"]
    assert fake_stripe.api_key not in caplog.text


def test_stripe_expiring_the_session_cancels_the_order(client, town, fake_stripe, django_capture_on_commit_callbacks):
    order, _response = start_online_payment(client, [(town["comte"], 1)])
    assert post_event(client, fake_stripe, fake_stripe.expire(order.online_payment.session_id)).json() == {"outcome": "abandonnee"}
    order.refresh_from_db()
    assert order.status == ABANDONED and allocated(town["comte"]) == 0
    assert set(order.shop_orders.values_list("status", flat=True)) == {"annulee"}


def test_a_signed_in_customer_finds_their_basket_after_stripe_expired_the_session(client, town, team, fake_stripe):
    customer = get_model("auth", "User").objects.create_user("helene", "helene@example.org", "pw-client-2026")
    client.force_login(customer)
    order, _response = start_online_payment(client, [(town["comte"], 2)])
    assert basket_titles(client) == []  # frozen while paying
    post_event(client, fake_stripe, fake_stripe.expire(order.online_payment.session_id))
    assert basket_titles(client) == ["Comté 18 mois"]


def test_going_back_after_paying_keeps_the_payment(client, town, fake_stripe):
    """« Retour » clicked in another tab after paying: Stripe refuses to expire the session."""
    order, _response = start_online_payment(client, [(town["comte"], 1)])
    fake_stripe.complete(order.online_payment.session_id)  # paid; the webhook is still on its way
    response = client.get(reverse("payments_cancel", args=[order.number]))
    assert response["Location"] == reverse("payments_return", args=[order.number])
    order.refresh_from_db()
    assert order.status == AWAITING_PAYMENT and allocated(town["comte"]) == 1


def test_only_the_customer_sees_their_payment_pages(client, town, fake_stripe):
    order, _response = start_online_payment(client, [(town["comte"], 1)])
    stranger = client.__class__()
    assert stranger.get(reverse("payments_return", args=[order.number])).status_code == 404
    assert stranger.get(reverse("payments_cancel", args=[order.number])).status_code == 404
    assert client.get(reverse("payments_return", args=["nope"])).status_code == 404
    assert client.get(WEBHOOK).status_code == 405


def test_secrets_never_reach_pages_or_logs(client, town, team, fake_stripe, caplog):
    with caplog.at_level(logging.DEBUG):
        order, _response = start_online_payment(client, [(town["comte"], 1)])
        pages = [client.get(reverse("payments_return", args=[order.number])).content.decode()]
        post_event(client, fake_stripe, fake_stripe.complete(order.online_payment.session_id))
        client.force_login(team["staff"])
        pages.append(client.get(reverse("backoffice_order", args=[order.shop_orders.get().pk])).content.decode())
        pages.append(client.get(reverse("payments_settlement")).content.decode())
    for secret in (fake_stripe.api_key, fake_stripe.webhook_secret):
        assert all(secret not in page for page in pages)
        assert secret not in caplog.text
