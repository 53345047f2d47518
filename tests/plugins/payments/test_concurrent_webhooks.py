"""Stripe delivers the same event several times, sometimes at the same moment, and
sends several events meaning « paid »: the order is paid once, the shops told once."""
from collections import Counter

import pytest
from django.core import mail
from django.test import Client
from oscar.core.loading import get_model

from plugins.payments.models import Payment, StripeEvent
from tests.conftest import requires_postgres
from tests.support.parallel import run_at_once

from .conftest import WEBHOOK, start_online_payment

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]
Source = get_model("payment", "Source")


def deliver(signed):
    payload, signature = signed
    answer = Client().post(WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)
    return answer.json()["outcome"]


def test_one_event_delivered_ten_times_at_once_pays_the_order_once(town, fake_stripe):
    order, _response = start_online_payment(Client(), [(town["comte"], 1)])
    event = fake_stripe.complete(order.online_payment.session_id)
    mail.outbox.clear()

    results, errors = run_at_once(deliver, [fake_stripe.signed(event)] * 10)

    assert errors == []
    assert Counter(results) == {"payee": 1, "deja recu": 9}
    assert StripeEvent.objects.count() == 1
    assert Source.objects.filter(order=order).count() == 1
    assert Payment.objects.get(order=order).status == Payment.Status.PAID
    # the shop and the customer are told once
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "fromagerie-test@example.org", "helene@example.org"]


def test_two_different_events_saying_paid_at_once_pay_once(town, fake_stripe):
    order, _response = start_online_payment(Client(), [(town["comte"], 1)])
    completed = fake_stripe.complete(order.online_payment.session_id)
    also_paid = fake_stripe.event("checkout.session.async_payment_succeeded", completed["data"]["object"])
    mail.outbox.clear()

    results, errors = run_at_once(deliver, [fake_stripe.signed(completed), fake_stripe.signed(also_paid)] * 4)

    assert errors == []
    assert Counter(results) == {"payee": 1, "deja payee": 1, "deja recu": 6}
    assert Source.objects.filter(order=order).count() == 1
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "fromagerie-test@example.org", "helene@example.org"]
