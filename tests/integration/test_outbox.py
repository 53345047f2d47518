"""Nothing lost when the mail server fails: every e-mail is recorded in the outbox with
the change that causes it and delivered by the task worker (django-tasks-db), retried,
given up on with a reason that staff can act on, and never waited on by a request."""
import datetime
import re
import socket
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from oscar.core.loading import get_model

from townmarket import outbox
from townmarket.models import OutboxMessage
from tests.integration.helpers import add_to_basket, checkout_data

Order = get_model("order", "Order")
FAILING = "tests.support.failing_mail.FailingEmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def through_the_outbox(settings, monkeypatch):
    # The worker closes "old" connections between tasks; here its connection is the
    # test's own, kept open inside the test's transaction.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    settings.EMAIL_BACKEND = "townmarket.outbox.OutboxBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.OUTBOX_DELIVERY_BACKEND = LOCMEM
    return settings


def run_worker():
    """The real worker, once over every task that is due."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def make_retries_due():
    DBTaskResult.objects.update(run_after=timezone.now() - datetime.timedelta(seconds=1))


def place_order(client, town):
    add_to_basket(client, town["comte"], 2)
    add_to_basket(client, town["novel"], 1)
    response = client.post(reverse("checkout:index"), checkout_data(client), follow=True)
    assert response.status_code == 200
    return Order.objects.get(), response


def test_mail_server_down_then_back_every_email_arrives_once(client, town, through_the_outbox):
    through_the_outbox.OUTBOX_DELIVERY_BACKEND = FAILING
    order, page = place_order(client, town)
    assert "Vous allez recevoir une confirmation par e-mail à helene@example.org" in page.content.decode()
    # the two shops' and the customer's e-mails, recorded with the order as one row the
    # worker renders into them (townmarket.outbox.defer)
    assert OutboxMessage.objects.filter(status=OutboxMessage.PENDING).count() == 1

    run_worker()
    assert mail.outbox == []
    waiting = list(OutboxMessage.objects.all())
    assert {m.status for m in waiting} == {OutboxMessage.PENDING}
    assert all(m.attempts == 1 and "SMTP server unreachable" in m.last_error and m.next_attempt_at for m in waiting)

    through_the_outbox.OUTBOX_DELIVERY_BACKEND = LOCMEM  # the server is back
    run_worker()
    assert mail.outbox == []  # retries wait for their time
    make_retries_due()
    run_worker()
    make_retries_due()
    run_worker()
    subjects = sorted(message.subject for message in mail.outbox)
    assert len(subjects) == 3 and sum(order.number in subject for subject in subjects) == 3
    assert {m.status for m in OutboxMessage.objects.all()} == {OutboxMessage.SENT}
    ids = [message.extra_headers["Message-ID"] for message in mail.outbox]
    assert sorted(ids) == sorted(OutboxMessage.objects.values_list("message_id", flat=True))


class HungSMTPServer:
    """Accepts connections and never says a word."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self.connections = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                connection, _address = self.sock.accept()
            except OSError:
                return
            self.connections.append(connection)

    def close(self):
        self.sock.close()


def test_a_mail_server_that_never_answers_holds_no_request(client, town, through_the_outbox):
    server = HungSMTPServer()
    try:
        through_the_outbox.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        through_the_outbox.EMAIL_HOST, through_the_outbox.EMAIL_PORT = "127.0.0.1", server.port
        through_the_outbox.EMAIL_TIMEOUT = 1
        order, page = place_order(client, town)
        assert order.number in page.content.decode()
        assert server.connections == []  # the request never talked to the mail server

        run_worker()  # the worker waits EMAIL_TIMEOUT, then tries again later
        assert len(server.connections) == 3
        assert all(m.status == OutboxMessage.PENDING and "timed out" in m.last_error
                   for m in OutboxMessage.objects.all())
    finally:
        server.close()


def test_a_malformed_address_fails_at_once_and_staff_send_it_again(client, team, through_the_outbox):
    mail.EmailMessage("Votre commande", "Bonjour", to=["helene@@exemple"]).send()
    run_worker()
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.FAILED and message.attempts == 1
    assert "helene@@exemple" in message.recipients and message.last_error
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()  # never retried forever

    client.force_login(team["alice"])  # a merchant does not see the association's e-mails
    refused = client.get(reverse("backoffice_failed_emails"), follow=True)
    assert refused.redirect_chain and "helene@@exemple" not in refused.content.decode()
    client.force_login(team["staff"])
    listing = client.get(reverse("backoffice_failed_emails")).content.decode()
    assert "Votre commande" in listing and "helene@@exemple" in listing
    assert re.search(r"E-mails non envoy(é|\\u00e9)s \(1\)", client.get("/admin/").content.decode())

    client.post(reverse("backoffice_failed_emails"), {"message": message.pk})
    message.refresh_from_db()
    assert message.status == OutboxMessage.PENDING and message.attempts == 0
    # sent again twice by a double click: queued once
    again = client.post(reverse("backoffice_failed_emails"), {"message": message.pk}, follow=True)
    assert "est plus en échec" in again.content.decode()
    assert client.post(reverse("backoffice_failed_emails"), {"message": "x"}).status_code == 302


def test_a_worker_killed_mid_send_sends_again_with_the_same_message_id(db, through_the_outbox):
    mail.EmailMessage("Votre carte cadeau", "Bonjour", to=["marie@example.org"]).send()
    message = OutboxMessage.objects.get()
    # the worker claimed it, then died before the mail server answered
    OutboxMessage.objects.update(status=OutboxMessage.SENDING, attempts=1,
                                 claimed_at=timezone.now() - datetime.timedelta(minutes=11))
    DBTaskResult.objects.all().delete()
    run_worker()
    assert mail.outbox == []

    call_command("requeue_outbox", verbosity=0)
    run_worker()
    run_worker()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == message.message_id
    assert OutboxMessage.objects.get().status == OutboxMessage.SENT


def test_nothing_is_recorded_when_the_change_rolls_back(db, through_the_outbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        mail.EmailMessage("Nouvelle commande", "…", to=["fromagerie@example.org"]).send()
        raise RuntimeError("the order could not be placed")
    assert not OutboxMessage.objects.exists() and not DBTaskResult.objects.exists()


def test_attachments_and_html_survive_the_outbox(db, through_the_outbox):
    message = mail.EmailMultiAlternatives("Carte cadeau", "texte", to=["marie@example.org"])
    message.attach_alternative("<p>html</p>", "text/html")
    message.attach("carte.pdf", b"%PDF-1.4 \x00\xff", "application/pdf")
    message.attach("note.txt", "é", "text/plain")
    message.send()
    run_worker()
    [sent] = mail.outbox
    assert sent.alternatives[0][0] == "<p>html</p>"
    assert [(a[0], a[1]) for a in sent.attachments] == [("carte.pdf", b"%PDF-1.4 \x00\xff"), ("note.txt", "é")]


@pytest.mark.parametrize("hostile", ["²", "9" * 5000, "99999999999999999999"])
def test_a_hostile_message_number_changes_nothing(client, team, hostile):
    client.force_login(team["staff"])
    answer = client.post(reverse("backoffice_failed_emails"), {"message": hostile}, follow=True)
    assert answer.status_code == 200 and "est plus en échec" in answer.content.decode()


@outbox.renderer
def broken_renderer(order_pk):
    raise RuntimeError("template missing")


def test_emails_the_worker_cannot_render_are_retried_then_listed_and_sent_again(client, team, through_the_outbox,
                                                                                 monkeypatch):
    through_the_outbox.OUTBOX_MAX_ATTEMPTS = 2
    outbox.defer(broken_renderer, "Commande 100042 : e-mails aux commerces et au client", "helene@example.org",
                 order_pk=42)
    run_worker()
    make_retries_due()
    run_worker()
    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.FAILED and "template missing" in message.last_error
    client.force_login(team["staff"])
    assert "Commande 100042" in client.get(reverse("backoffice_failed_emails")).content.decode()

    def sends_one(order_pk):
        mail.EmailMessage(f"Commande {order_pk}", "Bonjour", to=["helene@example.org"]).send()

    monkeypatch.setattr(__name__ + ".broken_renderer", outbox.renderer(sends_one))  # the template is back
    client.post(reverse("backoffice_failed_emails"), {"message": message.pk})
    run_worker()
    assert [m.subject for m in mail.outbox] == ["Commande 42"]
    assert list(OutboxMessage.objects.values_list("subject", "status")) == [("Commande 42", OutboxMessage.SENT)]


def test_only_a_marked_renderer_is_ever_called(db, through_the_outbox):
    with pytest.raises(ValueError):
        outbox.defer(call_command, "x", "", command_name="flush")
    OutboxMessage.objects.create(message_id="<x@test>", subject="x", recipients="",
                                 payload={"render": {"function": "django.core.management.call_command",
                                                     "kwargs": {"command_name": "flush"}}})
    assert outbox.deliver(OutboxMessage.objects.get().pk) == OutboxMessage.FAILED  # refused at once
