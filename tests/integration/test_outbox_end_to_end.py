"""E-mails survive a mail server outage, end to end (issue 14): real processes on
PostgreSQL — gunicorn serving the shop, `manage.py db_worker` delivering the outbox —
and an SMTP sink on 127.0.0.1 that is down while customers place their orders and
comes back later. Every order's e-mails (one per shop and the customer's
confirmation) then arrive, each exactly once."""
import datetime
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes, policy

import pytest
import requests
from bs4 import BeautifulSoup
from django.db import connection
from django.urls import reverse
from oscar.core.loading import get_model

from townmarket import outbox
from townmarket.models import OutboxMessage
from tests import factories
from tests.conftest import requires_postgres

from tests.support.servers import ROOT, VENV_BIN, free_port, wait_until

Order = get_model("order", "Order")
ORDERS = 3
EMAILS_PER_ORDER = 3  # the cheese shop, the bookshop, the customer


# -- helpers ------------------------------------------------------------------------------
class SMTPSink:
    """An SMTP server on 127.0.0.1 that keeps every message it receives. Its port is
    chosen at once; it listens only once `start()` is called."""

    def __init__(self):
        self.port = free_port()
        self.received = []  # {"message_id", "to", "subject"}
        self._lock = threading.Lock()
        self._controller = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.received.append({"message_id": str(message["Message-ID"]), "to": str(message["To"]),
                                  "subject": str(message["Subject"])})
        return "250 Message accepted for delivery"

    def start(self):
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()

    def messages(self):
        with self._lock:
            return list(self.received)


class Processes:
    """Subprocesses with their output in files; `stop()` ends them all (terminate, then kill)."""

    def __init__(self, env, log_dir):
        self.env, self.log_dir, self.running = env, log_dir, {}

    def start(self, name, command):
        log = open(self.log_dir / f"{name}.log", "wb")
        # A session of its own, so that killing it kills its children too (gunicorn's workers).
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.running[name] = (process, log)

    def alive(self, name):
        return self.running[name][0].poll() is None

    def stop(self):
        for process, _log in self.running.values():
            if process.poll() is None:
                process.terminate()
        for process, log in self.running.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            log.close()

    def logs(self):
        tails = []
        for name in self.running:
            text = (self.log_dir / f"{name}.log").read_text(errors="replace")
            tails.append(f"--- {name} (last lines) ---\n" + "\n".join(text.splitlines()[-40:]))
        return "\n".join(tails)


def form_fields(form):
    """What a browser submits from `form` untouched: hidden and typed values, each radio
    group's checked (else first enabled) choice."""
    data, radios = {}, {}
    for field in form.find_all(["input", "textarea"]):
        name, kind = field.get("name"), field.get("type", "text")
        if not name or kind in {"submit", "button"} or field.has_attr("disabled"):
            continue
        if kind == "radio":
            if field.has_attr("checked") or name not in radios:
                radios[name] = field.get("value")
        elif kind == "checkbox":
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "") if field.name == "input" else field.get_text()
    return {**data, **radios}


def place_order(base_url, products, customer_email):
    """A guest's visit: product pages, « Ajouter au panier », the checkout form filled
    in and « Valider la commande ». Returns the thank-you page's text."""
    browser = requests.Session()
    browser.trust_env = False  # no proxy between the test and 127.0.0.1
    for product in products:
        page = browser.get(base_url + product.get_absolute_url(), timeout=20)
        assert page.status_code == 200, page.text[:500]
        add_form = BeautifulSoup(page.text, "html.parser").find(
            "form", action=reverse("basket:add", kwargs={"pk": product.pk}))
        # A cached page carries no token: the page's script asks /visiteur/ for one first.
        token = browser.get(base_url + reverse("visitor_state"), timeout=20).json()["csrf_token"]
        added = browser.post(base_url + add_form["action"],
                             {**form_fields(add_form), "quantity": "1", "csrfmiddlewaretoken": token},
                             headers={"Referer": page.url}, allow_redirects=False, timeout=20)
        assert added.status_code == 302, added.text[:500]

    checkout = browser.get(base_url + reverse("checkout:index"), timeout=20)
    assert checkout.status_code == 200, checkout.text[:500]
    form = BeautifulSoup(checkout.text, "html.parser").find("form", class_="checkout-form")
    data = {**form_fields(form), "first_name": "Hélène", "last_name": "Jourdan", "email": customer_email,
            "phone": "06 12 34 56 78", "payment_method": "pay_at_pickup", "accept_terms": "on"}
    assert data["csrfmiddlewaretoken"] and data["basket"] and data["shown_amounts"]
    placed = browser.post(checkout.url, data, headers={"Referer": checkout.url}, allow_redirects=False,
                          timeout=20)
    assert placed.status_code == 302, placed.text[:2000]
    assert placed.headers["Location"].endswith(reverse("checkout:thank-you"))
    thanks = browser.get(base_url + placed.headers["Location"], timeout=20)
    assert thanks.status_code == 200
    return thanks.text


# -- tests --------------------------------------------------------------------------------
def test_the_retry_delay_starts_at_the_setting_and_doubles_up_to_an_hour(settings):
    settings.OUTBOX_RETRY_SECONDS = 60
    assert [outbox.retry_delay(n).total_seconds() for n in (1, 2, 3, 7, 20)] == [60, 120, 240, 3600, 3600]
    settings.OUTBOX_RETRY_SECONDS = 1
    assert [outbox.retry_delay(n).total_seconds() for n in (1, 2, 3)] == [1, 2, 4]
    del settings.OUTBOX_RETRY_SECONDS
    assert outbox.retry_delay(1) == datetime.timedelta(minutes=1)


@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # committed: gunicorn and the worker see the shops
def test_orders_placed_while_the_mail_server_is_down_get_each_email_once_it_is_back(tmp_path):
    factories.build_site()
    cheese = factories.shop("Fromagerie du Lavoir", kind="Fromagerie", email="fromagerie@example.org")
    books = factories.shop("Librairie des Halles", kind="Librairie", is_food=False, email="librairie@example.org")
    comte = factories.product(cheese, title="Comté 24 mois", price="14.20", stock=20)
    novel = factories.product(books, title="Roman du terroir", price="8.90", stock=20, category_name="Livres")

    sink = SMTPSink()  # its port is taken by nobody: connection refused until it starts
    web_port = free_port()
    base_url = f"http://127.0.0.1:{web_port}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.support.e2e_settings",
           "E2E_DATABASE_NAME": connection.settings_dict["NAME"],
           "E2E_EMAIL_HOST": "127.0.0.1", "E2E_EMAIL_PORT": str(sink.port), "PYTHONUNBUFFERED": "1"}
    processes = Processes(env, tmp_path)
    try:
        processes.start("gunicorn", [str(VENV_BIN / "gunicorn"), "townmarket.wsgi:application",
                                     "--pythonpath", "site,.", "-w", "2", "-b", f"127.0.0.1:{web_port}"])
        processes.start("worker", [sys.executable, "manage.py", "db_worker", "--interval", "0.2",
                                   "--no-startup-delay", "--no-reload"])

        def web_up():
            assert processes.alive("gunicorn"), processes.logs()
            try:
                return requests.get(base_url + "/", timeout=20, allow_redirects=False).status_code < 500
            except requests.RequestException:  # not listening yet, or still loading the site
                return False

        wait_until(web_up, 90, "gunicorn answers", processes.logs)

        customers = [f"client{n}@example.org" for n in range(1, ORDERS + 1)]
        for customer in customers:
            thanks = place_order(base_url, [comte, novel], customer)
            assert f"Vous allez recevoir une confirmation par e-mail à {customer}" in thanks
        numbers = {customer: Order.objects.get(guest_email=customer).number for customer in customers}
        assert len(set(numbers.values())) == ORDERS

        def outbox_state():
            rows = OutboxMessage.objects.values_list("subject", "status", "attempts", "last_error")
            return "\n".join(map(str, rows)) + "\n" + processes.logs()

        # The worker tries, finds no mail server, and keeps the messages for later.
        wait_until(lambda: OutboxMessage.objects.count() == ORDERS * EMAILS_PER_ORDER
                   and not OutboxMessage.objects.filter(attempts__lt=2).exists(),
                   60, "every message tried twice while the mail server is down", outbox_state)
        assert processes.alive("worker") and sink.messages() == []
        assert not OutboxMessage.objects.exclude(status=OutboxMessage.PENDING).exists(), outbox_state()
        assert all(error for error in OutboxMessage.objects.values_list("last_error", flat=True))

        sink.start()  # the mail server is back
        wait_until(lambda: not OutboxMessage.objects.exclude(status=OutboxMessage.SENT).exists(),
                   60, "every message sent once the mail server is back", outbox_state)
        time.sleep(3)  # a message sent twice would arrive now
        assert processes.alive("gunicorn") and processes.alive("worker"), processes.logs()
    finally:
        processes.stop()
        sink.stop()

    received = sink.messages()
    recorded = sorted(OutboxMessage.objects.values_list("message_id", flat=True))
    assert len(received) == len(recorded) == ORDERS * EMAILS_PER_ORDER
    assert sorted(message["message_id"] for message in received) == recorded  # each one once
    for customer, number in numbers.items():
        about_the_order = [message for message in received if number in message["subject"]]
        assert len(about_the_order) == EMAILS_PER_ORDER, (number, received)
        assert sorted(message["to"] for message in about_the_order) == sorted(
            [customer, "fromagerie@example.org", "librairie@example.org"])
