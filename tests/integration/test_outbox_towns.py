"""E-mails belong to a town: the outbox records the town of each e-mail (an order's
town for its e-mails), so « E-mails non envoyés » shows a town's association only its
town's failures, and sends again only those (issue 20: staff see nothing of another
town; a failed e-mail holds a customer's name, address and order)."""
import pytest
from django.urls import reverse

from backoffice import roles
from tests import factories
from tests.integration.helpers import add_to_basket, checkout_data
from tests.plugins.towns import client_of, default_town, second_town, shop_in, town_staff
from townmarket import outbox
from townmarket.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_towns(settings, town, team):
    settings.EMAIL_BACKEND = "townmarket.outbox.OutboxBackend"
    here, there = default_town(), second_town()
    mustard = factories.product(shop_in(there, "Moutarderie de Beaune"), title="Moutarde forte", price="3.50",
                                stock=5)
    return {"here": here, "there": there, "mustard": mustard, "staff_here": team["staff"],
            "staff_there": town_staff(there, roles.ASSOCIATION, "odile")}


def order_in(site, product):
    customer = client_of(site)
    add_to_basket(customer, product)
    response = customer.post(reverse("checkout:index"), checkout_data(customer, email="client-beaune@example.org",
                                                                     last_name="Beaunois"))
    assert response.status_code == 302


def fail_everything():
    """The mail server refused every e-mail for good."""
    for message in OutboxMessage.objects.filter(payload__has_key="render"):
        outbox.render_deferred(message)
    OutboxMessage.objects.update(status=OutboxMessage.FAILED, last_error="550 adresse inconnue")


def test_an_order_s_e_mails_are_its_town_s(two_towns):
    order_in(two_towns["there"], two_towns["mustard"])
    assert OutboxMessage.objects.exists()
    assert set(OutboxMessage.objects.values_list("town", flat=True)) == {two_towns["there"].pk}
    fail_everything()  # rendered by the worker: the shop's and the customer's e-mails
    assert OutboxMessage.objects.count() >= 2
    assert set(OutboxMessage.objects.values_list("town", flat=True)) == {two_towns["there"].pk}


def test_a_town_s_association_sees_and_sends_again_only_its_town_s_failed_e_mails(two_towns):
    order_in(two_towns["there"], two_towns["mustard"])
    fail_everything()
    failed = OutboxMessage.objects.filter(recipients__contains="client-beaune").get()
    url = reverse("backoffice_failed_emails")

    here = client_of(two_towns["here"])
    here.force_login(two_towns["staff_here"])
    page = here.get(url).content.decode()
    assert "client-beaune@example.org" not in page and "Moutarde" not in page
    here.post(url, {"message": failed.pk})
    assert OutboxMessage.objects.get(pk=failed.pk).status == OutboxMessage.FAILED  # not sent again from town A

    there = client_of(two_towns["there"])
    there.force_login(two_towns["staff_there"])
    assert "client-beaune@example.org" in there.get(url).content.decode()
    there.post(url, {"message": failed.pk})
    assert OutboxMessage.objects.get(pk=failed.pk).status != OutboxMessage.FAILED


def mailed_to(address):
    [message] = OutboxMessage.objects.filter(recipients=address)
    return message


def test_a_registration_e_mail_on_a_town_s_address_is_that_town_s(two_towns):
    response = client_of(two_towns["there"]).post("/boutique/accounts/register/", {
        "email": "nouvelle-beaune@example.org", "password1": "brioche-du-dimanche-7",
        "password2": "brioche-du-dimanche-7"})
    assert response.status_code == 302
    message = mailed_to("nouvelle-beaune@example.org")
    assert "Le marché de Beaune-Test" in message.payload["from_email"]
    assert message.town == two_towns["there"]


def test_an_admin_password_reset_e_mail_on_a_town_s_address_is_that_town_s(two_towns):
    response = client_of(two_towns["there"]).post("/admin/password_reset/", {"email": "odile@example.org"})
    assert response.status_code == 302
    message = mailed_to("odile@example.org")
    assert "Le marché de Beaune-Test" in message.payload["from_email"]
    assert message.town == two_towns["there"]
