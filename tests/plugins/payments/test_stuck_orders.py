"""No order stays « En attente de paiement » for good (issue 14): whatever happens
to the web worker while it calls Stripe, a later webhook or the sweep
(`manage.py expire_waiting_payments`, run by cron) finds the order, asks Stripe,
confirms it if it was paid and abandons it otherwise, giving back the stock, the
delivery round's place and the basket."""
import datetime as dt
import io
import runpy
import signal
import socket
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_apps.checkout.awaiting_payment import ABANDONED, AWAITING_PAYMENT
from plugins.local_delivery.models import RoundDay
from plugins.payments import gateway
from plugins.payments import sweep as sweep_module
from plugins.payments.models import Payment
from tests.conftest import requires_postgres
from tests.integration.helpers import add_to_basket, checkout_data
from tests.plugins.local_delivery.conftest import ADDRESS, frozen_clock, zone  # noqa: F401  fixtures
from tests.support.parallel import run_at_once

from .conftest import WEBHOOK, post_event, start_online_payment

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
StockRecord = get_model("partner", "StockRecord")
Source = get_model("payment", "Source")
User = get_model("auth", "User")
TUESDAY = dt.date(2026, 11, 24)  # the cheese shop's first delivery round (frozen_clock: Monday 23)


# -- helpers ------------------------------------------------------------------------------
def allocated(product):
    return StockRecord.objects.get(product=product).num_allocated or 0


def round_places_booked():
    return sum(RoundDay.objects.filter(date=TUESDAY).values_list("booked", flat=True))


def basket_titles(client):
    return [line.product.get_title() for line in client.get(reverse("basket:summary")).context["basket"].all_lines()]


def customer_client(client, username):
    customer = User.objects.create_user(username, f"{username}@example.org", "pw-client-2026")
    client.force_login(customer)
    return client


def card_checkout(client, town):
    """A Comté delivered by Tuesday's round and a novel, paid by card; returns the response."""
    add_to_basket(client, town["comte"])
    add_to_basket(client, town["novel"])
    page = client.get(reverse("checkout:index"))
    data = checkout_data(client, payment_method="stripe_card", **ADDRESS)
    cheese_field = next(g.field_name for g in page.context["shop_groups"] if g.partner == town["cheese"].partner)
    data[cheese_field] = f"local_delivery-{TUESDAY:%Y-%m-%d}"
    return client.post(reverse("checkout:index"), data)


def last_order():
    return Order.objects.order_by("-pk").first()


@contextmanager
def worker_killed_while_stripe_works(fake):
    """What gunicorn does to a sync worker still busy after its timeout: the arbiter
    sends it SIGABRT, whose handler calls sys.exit(1) wherever the request is
    (gunicorn.workers.base.Worker.handle_abort). Here the fake Stripe sends the signal
    as soon as it receives the call, then takes its time to answer."""
    def abort(signum, frame):
        sys.exit(1)

    previous = signal.signal(signal.SIGABRT, abort)
    worker = threading.main_thread().ident
    fake.on_request = lambda: signal.pthread_kill(worker, signal.SIGABRT)
    try:
        with pytest.raises(SystemExit):
            yield
    finally:
        fake.on_request = None
        signal.signal(signal.SIGABRT, previous)


def killed_after_stripe_answered(monkeypatch):
    """The process dies once Stripe has created the session, before its id is saved."""
    create = gateway.create_checkout_session

    def create_then_die(*args, **kwargs):
        create(*args, **kwargs)
        raise SystemExit(1)

    monkeypatch.setattr(gateway, "create_checkout_session", create_then_die)


def wait_for_session(fake, timeout=10):
    """The fake creates a session once its delay is over, even for a client gone."""
    deadline = time.monotonic() + timeout
    while not fake.sessions:
        assert time.monotonic() < deadline, "the fake Stripe created no session"
        time.sleep(0.05)
    [session] = fake.sessions.values()
    return session


def later(minutes=46):
    """Every order waiting for its payment, placed `minutes` ago."""
    Order.objects.filter(status=AWAITING_PAYMENT).update(date_placed=timezone.now() - dt.timedelta(minutes=minutes))


def sweep():
    """One cron run, and what the changes set off once committed (delivery places)."""
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("expire_waiting_payments", stdout=out)
    return out.getvalue()


def webhook(client, fake, event):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return post_event(client, fake, event).json()["outcome"]


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def assert_given_back(order, town, client):
    order.refresh_from_db()
    assert order.status == ABANDONED
    assert Payment.objects.get(order=order).status == Payment.Status.ABANDONED
    assert set(order.shop_orders.values_list("status", flat=True)) == {"annulee"}
    assert allocated(town["comte"]) == 0 and allocated(town["novel"]) == 0
    assert round_places_booked() == 0
    assert sorted(basket_titles(client)) == ["Comté 18 mois", "Roman policier"]


# -- the time given to Stripe -------------------------------------------------------------
def test_the_time_given_to_stripe_fits_inside_the_web_workers_timeout(settings):
    """With the defaults, a Stripe that never answers makes start() give up (and give
    the basket back) before gunicorn kills the worker; 10 s are left for placing the order."""
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["timeout"] == 30 and config["graceful_timeout"] >= config["timeout"]
    assert gateway.time_budget() + 10 <= config["timeout"]


# -- the worker dies while Stripe is called -----------------------------------------------
def test_a_worker_killed_while_stripe_hangs_leaves_an_order_the_sweep_finishes(client, town, zone, frozen_clock,
                                                                              fake_stripe):
    customer_client(client, "helene")
    fake_stripe.delay = 1.5  # Stripe answers after gunicorn has given up on the worker
    with worker_killed_while_stripe_works(fake_stripe):
        card_checkout(client, town)
    order = last_order()
    payment = Payment.objects.get(order=order)
    assert order.status == AWAITING_PAYMENT and payment.session_id is None
    assert allocated(town["comte"]) == 1 and round_places_booked() == 1
    session = wait_for_session(fake_stripe)
    assert session["client_reference_id"] == order.number
    assert session["metadata"] == {"order_number": order.number, "payment_id": str(payment.pk)}
    fake_stripe.delay = 0

    # Not yet: the customer may still be paying.
    later(minutes=20)
    sweep()
    order.refresh_from_db()
    assert order.status == AWAITING_PAYMENT and fake_stripe.calls("GET", "/v1/checkout/sessions") == []

    later()
    assert "1 abandonnée" in sweep()
    # Found at Stripe by its reference, expired there first so it cannot be paid any more.
    assert fake_stripe.calls("POST", f"/v1/checkout/sessions/{session['id']}/expire")
    assert fake_stripe.sessions[session["id"]]["status"] == "expired"
    assert Payment.objects.get(order=order).session_id == session["id"]
    assert_given_back(order, town, client)


def test_an_order_whose_payment_was_never_recorded_is_abandoned_by_the_sweep(client, town, zone, frozen_clock,
                                                                           fake_stripe, monkeypatch):
    """The worker died after placing the order, before start() recorded the payment."""
    customer_client(client, "helene")
    monkeypatch.setattr(Payment.objects, "create", lambda **kwargs: sys.exit(1))
    with pytest.raises(SystemExit):
        card_checkout(client, town)
    monkeypatch.undo()
    order = last_order()
    assert order.status == AWAITING_PAYMENT and not Payment.objects.filter(order=order).exists()
    later()
    assert "1 abandonnée" in sweep()
    order.refresh_from_db()
    assert order.status == ABANDONED and allocated(town["comte"]) == 0 and round_places_booked() == 0
    assert sorted(basket_titles(client)) == ["Comté 18 mois", "Roman policier"]


@pytest.mark.parametrize("event", ["checkout.session.expired", "checkout.session.completed"])
def test_an_event_for_a_session_whose_id_was_never_saved_finds_its_order(
        client, town, zone, frozen_clock, fake_stripe, monkeypatch, event):
    customer_client(client, "helene")
    killed_after_stripe_answered(monkeypatch)
    with pytest.raises(SystemExit):
        card_checkout(client, town)
    order = last_order()
    assert Payment.objects.get(order=order).session_id is None
    [session_id] = fake_stripe.sessions

    if event == "checkout.session.expired":
        assert webhook(client, fake_stripe, fake_stripe.expire(session_id)) == "abandonnee"
        assert_given_back(order, town, client)
    else:
        assert webhook(client, fake_stripe, fake_stripe.complete(session_id)) == "payee"
        order.refresh_from_db()
        assert order.status == "Nouvelle" and Source.objects.get(order=order).amount_debited == order.total_incl_tax
        assert "helene@example.org" in [address for message in mail.outbox for address in message.to]
    assert Payment.objects.get(order=order).session_id == session_id
    # The sweep has nothing left to do.
    later()
    sweep()
    assert Order.objects.get(pk=order.pk).status == ("Nouvelle" if event.endswith("completed") else ABANDONED)


def test_a_session_paid_but_whose_id_was_never_saved_is_confirmed_by_the_sweep(
        client, town, zone, frozen_clock, fake_stripe, monkeypatch):
    killed_after_stripe_answered(monkeypatch)
    with pytest.raises(SystemExit):
        card_checkout(client, town)
    order = last_order()
    [session_id] = fake_stripe.sessions
    fake_stripe.complete(session_id)  # paid; the webhook never came
    later()
    assert "1 payée" in sweep()
    order.refresh_from_db()
    payment = Payment.objects.get(order=order)
    assert order.status == "Nouvelle" and payment.status == Payment.Status.PAID and payment.session_id == session_id
    assert allocated(town["comte"]) == 1 and round_places_booked() == 1


# -- the sweep ----------------------------------------------------------------------------
def test_a_guest_whose_order_the_sweep_abandoned_finds_their_basket_on_coming_back(client, town, zone, frozen_clock,
                                                                                  fake_stripe):
    """Abandoned without their request (the sweep, Stripe's expiry), a guest's articles
    wait with the order; the payment page they come back to gives them back."""
    card_checkout(client, town)
    order = last_order()
    later()
    assert "1 abandonnée" in sweep()
    assert basket_titles(client) == []
    page = client.get(reverse("payments_return", args=[order.number]), follow=True)
    assert "Vos articles sont dans votre panier" in page.content.decode()
    assert sorted(basket_titles(client)) == ["Comté 18 mois", "Roman policier"]
    # Once only: coming back again does not add them a second time.
    client.get(reverse("payments_return", args=[order.number]))
    assert sorted(line.quantity for line in client.get(reverse("basket:summary")).context["basket"].all_lines()) == [1, 1]
    assert allocated(town["comte"]) == 0


def test_the_sweep_confirms_a_paid_session_never_notified_and_abandons_an_unpaid_one(
        client, town, zone, frozen_clock, fake_stripe):
    payer = client.__class__()
    card_checkout(payer, town)
    paid = last_order()
    fake_stripe.complete(paid.online_payment.session_id)  # the webhook was lost

    customer_client(client, "helene")
    card_checkout(client, town)
    unpaid = last_order()
    unpaid_session = unpaid.online_payment.session_id
    assert allocated(town["comte"]) == 2 and round_places_booked() == 2
    later()
    mail.outbox.clear()

    report = sweep()
    assert "1 payée" in report and "1 abandonnée" in report

    paid.refresh_from_db()
    assert paid.status == "Nouvelle" and paid.online_payment.status == Payment.Status.PAID
    assert Source.objects.get(order=paid).reference == fake_stripe.sessions[paid.online_payment.session_id]["payment_intent"]
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["fromagerie-test@example.org", "helene@example.org", "librairie-test@example.org"]

    assert fake_stripe.sessions[unpaid_session]["status"] == "expired"
    unpaid.refresh_from_db()
    assert unpaid.status == ABANDONED
    assert allocated(town["comte"]) == 1 and round_places_booked() == 1  # only the paid order's
    assert sorted(basket_titles(client)) == ["Comté 18 mois", "Roman policier"]

    # Stripe's late webhooks, and a second run, change nothing.
    late = fake_stripe.event("checkout.session.completed", fake_stripe.sessions[paid.online_payment.session_id])
    assert webhook(client, fake_stripe, late) == "deja payee"
    expired = fake_stripe.event("checkout.session.expired", fake_stripe.sessions[unpaid_session])
    assert webhook(client, fake_stripe, expired) == "deja traitee"
    sweep()
    assert Source.objects.filter(order=paid).count() == 1 and len(mail.outbox) == 3


@pytest.mark.parametrize("trouble", ["connection refused", "server error", "no answer"])
def test_stripe_down_during_the_sweep_abandons_nothing(client, town, zone, frozen_clock, fake_stripe, settings, trouble):
    card_checkout(client, town)
    order = last_order()
    session_id = order.online_payment.session_id
    fake_stripe.complete(session_id)  # paid: abandoning it would be wrong
    later()
    if trouble == "connection refused":
        settings.STRIPE_API_BASE = f"http://127.0.0.1:{closed_port()}"
    elif trouble == "server error":
        fake_stripe.unavailable = True
    else:
        fake_stripe.delay = 1.5  # longer than STRIPE_TIMEOUT
    assert "1 laissée" in sweep()
    order.refresh_from_db()
    assert order.status == AWAITING_PAYMENT and order.online_payment.status == Payment.Status.PENDING
    assert allocated(town["comte"]) == 1 and round_places_booked() == 1

    # Stripe is back: the next run confirms it.
    settings.STRIPE_API_BASE, fake_stripe.unavailable, fake_stripe.delay = fake_stripe.url, False, 0
    assert "1 payée" in sweep()
    assert Order.objects.get(pk=order.pk).status == "Nouvelle"


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_the_sweep_and_stripes_webhooks_at_the_same_moment_act_once(town, fake_stripe):
    paid, _response = start_online_payment(Client(), [(town["comte"], 1)])
    completed = fake_stripe.complete(paid.online_payment.session_id)  # its webhook is on its way
    unpaid, _response = start_online_payment(Client(), [(town["comte"], 1)])
    expired = fake_stripe.expire(unpaid.online_payment.session_id)
    later()
    mail.outbox.clear()

    def act(what):
        if what == "sweep":
            return sweep_module.expire_waiting_payments()
        payload, signature = fake_stripe.signed(what)
        answer = Client().post(WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)
        return Counter([answer.json()["outcome"]])

    results, errors = run_at_once(act, ["sweep", "sweep", completed, completed, expired])

    assert errors == []
    outcomes = sum(results, Counter())
    assert outcomes["payee"] == 1 and outcomes["abandonnee"] == 1
    assert Order.objects.get(pk=paid.pk).status == "Nouvelle" and Source.objects.filter(order=paid).count() == 1
    assert Order.objects.get(pk=unpaid.pk).status == ABANDONED
    assert allocated(town["comte"]) == 1  # the paid order's unit, released once for the other
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "fromagerie-test@example.org", "helene@example.org"]
