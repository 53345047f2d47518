"""Placing an order keeps in its request only what must be in its transaction (issue 19,
item 4): the shops' and the customer's e-mails are rendered by the task worker, each
shop's invoice is issued by it. Nothing is lost when the worker is down: the outbox row
standing for the e-mails and the invoicing task are saved with the order, and when a
task is lost anyway, `issue_missing_invoices` and `requeue_outbox` (cron) catch up.
Numbers stay gapless per shop; the customer's pages say « Facture en cours d'émission »
meanwhile."""
import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from oscar.core.loading import get_model

from invoicing.models import Document, Kind
from oscar_apps.order import tracking, workflow
from tests import factories
from tests.integration.helpers import add_to_basket, checkout_data
from tests.integration.test_outbox import run_worker, through_the_outbox  # noqa: F401 (fixture)
from townmarket.models import OutboxMessage

Order = get_model("order", "Order")
ShopOrder = get_model("order", "ShopOrder")
PENDING_INVOICE = "Facture en cours d'émission"


@pytest.fixture
def three_shops(town):
    bakery = factories.shop("Boulangerie Test", kind="Boulangerie")
    return [factories.product(town["cheese"], title="Brie de Meaux", price="4.10", stock=50),
            factories.product(town["books"], title="Atlas des vins", price="14.10", stock=50),
            factories.product(bakery, title="Pain de campagne", price="2.10", stock=50)]


def place(products, client=None):
    client = client or Client()
    for product in products:
        add_to_basket(client, product)
    response = client.post(reverse("checkout:index"), checkout_data(client))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Order.objects.order_by("-pk").first(), response


def tracking_page(order):
    return Client().get(tracking.path_for(order)).content.decode()


def invoices(order=None):
    found = Document.objects.filter(kind=Kind.INVOICE)
    return found.filter(shop_order__order=order) if order is not None else found


def test_the_order_s_request_renders_no_email_and_issues_no_invoice_the_worker_does_both(
        three_shops, through_the_outbox):  # noqa: F811
    order, response = place(three_shops)
    rendered = [template.name for template in response.templates if template.name]
    assert not [name for name in rendered if "email" in name], rendered
    assert mail.outbox == [] and not invoices().exists()
    # Saved with the order: one outbox row standing for its e-mails, and the invoicing task.
    waiting = OutboxMessage.objects.get()
    assert waiting.status == OutboxMessage.PENDING and order.number in waiting.subject
    assert DBTaskResult.objects.filter(task_path__endswith="issue_invoices").count() == 1
    page = tracking_page(order)
    assert page.count(PENDING_INVOICE) == 3, page  # each shop's part, until the worker has run

    run_worker()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        ["fromagerie-test@example.org", "librairie-test@example.org", "boulangerie-test@example.org",
         "helene@example.org"])
    assert all(order.number in message.subject for message in mail.outbox)
    assert OutboxMessage.objects.count() == 4
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxMessage.SENT}
    issued = invoices(order)
    assert issued.count() == 3 and all(doc.number.endswith("-000001") for doc in issued)
    page = tracking_page(order)
    assert PENDING_INVOICE not in page
    assert all(f"Facture {doc.number} (PDF)" in page for doc in issued)

    run_worker()  # nothing twice
    assert len(mail.outbox) == 4 and invoices().count() == 3


def test_worker_down_and_its_tasks_lost_the_cron_issues_every_invoice_and_sends_every_email(
        three_shops, through_the_outbox):  # noqa: F811
    first, _ = place(three_shops)
    run_worker()
    second, _ = place(three_shops)
    third, _ = place(three_shops[:2])
    DBTaskResult.objects.all().delete()  # the queue lost (a worker down, a database restored…)
    OutboxMessage.objects.filter(status=OutboxMessage.PENDING).update(
        created_at=timezone.now() - datetime.timedelta(minutes=15))

    call_command("issue_missing_invoices", "--older-than", "0", verbosity=0)
    assert invoices(second).count() == 3 and invoices(third).count() == 2
    for shop_order in ShopOrder.objects.filter(order=first):
        ranks = sorted(Document.objects.filter(partner=shop_order.partner, kind=Kind.INVOICE)
                       .values_list("sequence_number", flat=True))
        assert ranks == list(range(1, len(ranks) + 1))  # gapless per shop
    assert invoices().count() == 8
    call_command("issue_missing_invoices", "--older-than", "0", verbosity=0)
    assert invoices().count() == 8  # once

    call_command("requeue_outbox", verbosity=0)
    run_worker()
    for order, shops in ((second, 3), (third, 2)):
        about = [message for message in mail.outbox if order.number in message.subject]
        assert len(about) == shops + 1, [m.subject for m in mail.outbox]


def test_a_part_cancelled_before_the_worker_ran_gets_its_invoice_and_credit_note_once(
        three_shops, through_the_outbox):  # noqa: F811
    order, _ = place(three_shops)
    shop_order = ShopOrder.objects.get(order=order, partner=three_shops[0].stockrecords.get().partner)
    workflow.change_status(shop_order, ShopOrder.Status.CANCELLED)
    kinds = sorted(Document.objects.filter(shop_order=shop_order).values_list("kind", flat=True))
    assert kinds == [Kind.CREDIT_NOTE, Kind.INVOICE]

    run_worker()
    assert Document.objects.filter(shop_order=shop_order).count() == 2
    assert invoices(order).count() == 3


def test_an_order_awaiting_its_online_payment_shows_no_pending_invoice(three_shops):
    order, _ = place(three_shops)
    Document.objects.filter(shop_order__order=order)._raw_delete(Document.objects.db)  # as if not issued yet
    assert tracking_page(order).count(PENDING_INVOICE) == 3
    Order.objects.filter(pk=order.pk).update(status="En attente de paiement")
    assert PENDING_INVOICE not in tracking_page(order)
    call_command("issue_missing_invoices", "--older-than", "0", verbosity=0)
    assert not invoices(order).exists()  # nothing is sold until it is paid


def test_an_invoice_that_cannot_be_issued_holds_back_no_other_order_s(three_shops, through_the_outbox, caplog):  # noqa: F811
    cheese, books, _bread = three_shops
    broken, _ = place([cheese])
    fine, _ = place([books])
    cheese.stockrecords.update(vat_rate="")  # a damaged row: the cheese shop's invoice cannot be computed
    DBTaskResult.objects.all().delete()

    call_command("issue_missing_invoices", "--older-than", "0", verbosity=0)

    assert invoices(fine).count() == 1 and not invoices(broken).exists()
    assert f"Facture {invoices(fine).get().number} (PDF)" in tracking_page(fine)
    [failure] = [record for record in caplog.records if record.levelname == "ERROR"]
    assert broken.number in failure.getMessage() and failure.exc_info
