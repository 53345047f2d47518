"""Home deliveries in a customer's data: listed in their export; the delivery address
gone everywhere once they erase their account; and the nightly purge removes the
addresses of rounds older than RETENTION_DELIVERY_ADDRESSES_DAYS, not the recent ones."""
import datetime as dt
import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from oscar_apps.order import workflow
from plugins.local_delivery.models import DeliveryStop
from tests.integration.helpers import add_to_basket, checkout_data
from tests.integration.test_personal_data import traces_of

from .conftest import ADDRESS

Order = get_model("order", "Order")
ShopOrder = get_model("order", "ShopOrder")
PASSWORD = "pw-client-2026"


def delivered_order(client, market, user=None, line1=ADDRESS["delivery_line1"], **person):
    if user is not None:
        client.force_login(user)
    add_to_basket(client, market["comte"])
    page = client.get(reverse("checkout:index"))
    data = checkout_data(client, **{**ADDRESS, "delivery_line1": line1, **person})
    (group,) = page.context["shop_groups"]
    data[group.field_name] = "local_delivery-2026-11-24"
    response = client.post(reverse("checkout:index"), data)
    assert response.status_code == 302, [response.context["form"].errors, response.context.get("refusal")]
    order = Order.objects.latest("pk")
    for part in order.shop_orders.all():
        for status in (ShopOrder.Status.PREPARING, ShopOrder.Status.READY, ShopOrder.Status.DELIVERED):
            workflow.change_status(part, status, notify_customer=False)
    client.logout()
    return order


@pytest.mark.django_db
class TestDeliveriesInMyData:
    def test_the_export_lists_my_deliveries_and_erasure_leaves_the_address_nowhere(self, client, market):
        helene = get_user_model().objects.create_user("helene", "helene.livree@example.org", PASSWORD,
                                                      first_name="Hélène", last_name="Livrée")
        order = delivered_order(client, market, helene, line1="8 impasse des Glycines", first_name="Hélène",
                                last_name="Livrée", email="helene.livree@example.org")
        other = delivered_order(client.__class__(), market, line1="3 quai des Mariniers", first_name="Paul",
                                last_name="Voisin", email="paul.voisin@example.org", phone="07 81 22 33 44")
        client.force_login(helene)
        data = json.loads(client.get(reverse("customer:personal-data-download")).content)
        (stop,) = data["livraisons"]["éléments"]
        assert stop["Commande"] == order.number and stop["Date"] == "24/11/2026"
        assert other.number not in json.dumps(data)
        assert traces_of(["Glycines"]) == ["Glycines"]

        assert client.post(reverse("customer:profile-delete"), {"password": PASSWORD}).status_code == 302
        assert traces_of(["Glycines", "Livrée", "helene.livree"]) == []
        assert DeliveryStop.objects.filter(order=order).exists()  # the round keeps its stop, without a name
        assert traces_of(["Mariniers"]) == ["Mariniers"]


@pytest.mark.django_db
class TestRoundAddressesPurge:
    def test_old_rounds_lose_their_addresses_recent_ones_keep_them_and_twice_is_harmless(self, client, market):
        old = delivered_order(client, market, line1="1 rue Ancienne", first_name="Anne", last_name="Ancienne",
                              email="anne@example.org")
        recent = delivered_order(client.__class__(), market, line1="2 rue Récente", first_name="Rémi",
                                 last_name="Récent", email="remi@example.org")
        two_years_ago = timezone.now() - dt.timedelta(days=730)
        DeliveryStop.objects.filter(order=old).update(date=two_years_ago.date())
        Order.objects.filter(pk=old.pk).update(date_placed=two_years_ago)

        out = StringIO()
        call_command("purge_personal_data", stdout=out)
        assert "Adresses de livraison de plus de 365 jours effacées : 1" in out.getvalue()
        assert traces_of(["rue Ancienne"]) == [] and traces_of(["rue Récente"]) == ["rue Récente"]
        assert Order.objects.get(pk=old.pk).total_incl_tax == old.total_incl_tax
        assert Order.objects.get(pk=recent.pk).shipping_address is not None

        out = StringIO()
        call_command("purge_personal_data", stdout=out)
        assert "Adresses de livraison de plus de 365 jours effacées : 0" in out.getvalue()
