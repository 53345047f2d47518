"""Stripe's fee on each card payment: asked from Stripe once the payment is confirmed,
never holding the confirmation up; « non connus » until Stripe answers; shared between
the shops of an order and taken off what the association owes each of them."""
import time
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from plugins.payments.models import Payment
from tests import factories
from tests.integration.helpers import add_to_basket, checkout_data

from .conftest import post_event, start_online_payment
from .test_refunds_and_settlement import shop_order_of

pytestmark = pytest.mark.django_db


def this_month():
    today = timezone.localdate()
    return {"du": today.replace(day=1).isoformat(), "au": today.isoformat()}


def settlement_rows(client, user):
    client.force_login(user)
    page = client.get(reverse("payments_settlement"), this_month())
    client.logout()
    return {row.partner.name: row for row in page.context["rows"]}, page.content.decode().replace("\xa0", " ")


def test_the_fee_is_stored_once_the_payment_is_confirmed(paid_order, fake_stripe):
    # 21,30 € by a European card: 1,5 % (31,95 → 32 cents) + 0,25 € = 0,57 €.
    assert fake_stripe.fee_cents(2130) == 57
    payment = Payment.objects.get(order=paid_order)
    assert payment.status == Payment.Status.PAID and payment.stripe_fee == Decimal("0.57")
    [asked] = fake_stripe.calls("GET", "/v1/payment_intents/")
    assert asked["path"].endswith(payment.payment_intent)
    assert asked["params"]["expand"] == ["latest_charge.balance_transaction"]


def test_the_fee_is_shared_between_the_shops_and_taken_off_what_they_are_owed(client, paid_order, team, town):
    rows, page = settlement_rows(client, team["staff"])
    cheese, books = rows["Fromagerie Test"], rows["Librairie Test"]
    # 0,57 € pro rata of 12,40 and 8,90 out of 21,30: 33,18 and 23,82 cents; the cent
    # left after 33 + 23 goes to the largest remainder (the bookshop's ,82).
    assert (cheese.stripe_fees, books.stripe_fees) == (Decimal("0.33"), Decimal("0.24"))
    assert (cheese.due, books.due) == (Decimal("12.07"), Decimal("8.66"))
    assert "0,33 €" in page and "0,24 €" in page and "0,57 €" in page and "non connus" not in page


def test_a_fee_is_shared_to_the_cent_between_three_shops(client, town, team, fake_stripe,
                                                        django_capture_on_commit_callbacks):
    bakery = factories.shop("Boulangerie Test", kind="Boulangerie")
    bread = factories.product(bakery, title="Pain de campagne", price="10.00", stock=5)
    order, _response = start_online_payment(client, [(town["comte"], 1), (town["novel"], 1), (bread, 1)])
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, fake_stripe, fake_stripe.complete(order.online_payment.session_id))
    # 31,30 €: 46,95 → 47 cents + 25 = 0,72 €; 28,52 / 20,47 / 23,00 cents: 28 + 20 + 23 = 71,
    # the last cent to the cheese shop (remainder ,52).
    assert Payment.objects.get(order=order).stripe_fee == Decimal("0.72")
    rows, _page = settlement_rows(client, team["staff"])
    fees = {name: row.stripe_fees for name, row in rows.items()}
    assert fees == {"Fromagerie Test": Decimal("0.29"), "Librairie Test": Decimal("0.20"),
                    "Boulangerie Test": Decimal("0.23")}
    assert sum(fees.values()) == Decimal("0.72")
    assert rows["Boulangerie Test"].due == Decimal("9.77")


def test_stripe_down_when_confirming_the_payment_is_confirmed_and_the_fee_fetched_later(
        client, town, team, fake_stripe, django_capture_on_commit_callbacks):
    order, _response = start_online_payment(client, [(town["comte"], 1), (town["novel"], 1)])
    event = fake_stripe.complete(order.online_payment.session_id)
    fake_stripe.unavailable = True
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(client, fake_stripe, event).status_code == 200
    payment = Payment.objects.get(order=order)
    assert payment.status == Payment.Status.PAID and payment.stripe_fee is None
    assert any("fromagerie-test@example.org" in message.to for message in mail.outbox)  # the shop is told

    rows, page = settlement_rows(client, team["staff"])
    assert rows["Fromagerie Test"].stripe_fees == Decimal("0.00")
    assert rows["Fromagerie Test"].unknown_fees == 1 and rows["Fromagerie Test"].due == Decimal("12.40")
    assert "non connus" in page

    call_command("fetch_stripe_fees", stdout=open("/dev/null", "w"))  # Stripe still down: nothing changes
    assert Payment.objects.get(order=order).stripe_fee is None

    fake_stripe.unavailable = False
    call_command("fetch_stripe_fees", stdout=open("/dev/null", "w"))
    assert Payment.objects.get(order=order).stripe_fee == Decimal("0.57")
    rows, page = settlement_rows(client, team["staff"])
    assert (rows["Fromagerie Test"].stripe_fees, rows["Fromagerie Test"].unknown_fees) == (Decimal("0.33"), 0)
    assert "non connus" not in page


def test_the_webhook_never_waits_for_the_fee(client, town, fake_stripe, settings, django_capture_on_commit_callbacks):
    """With the real task queue (database backend), the fee is a task written in the
    webhook's transaction: the webhook answers at once even when Stripe hangs."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    order, _response = start_online_payment(client, [(town["comte"], 1)])
    event = fake_stripe.complete(order.online_payment.session_id)
    fake_stripe.delay = 5  # Stripe hangs
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(client, fake_stripe, event).status_code == 200
    assert time.monotonic() - started < 1
    assert Payment.objects.get(order=order).status == Payment.Status.PAID
    assert fake_stripe.calls("GET", "/v1/payment_intents/") == []
    assert DBTaskResult.objects.filter(task_path__endswith="fetch_fee").count() == 1
