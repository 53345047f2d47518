"""Six taps on « Payé » for the same shop's part at the same moment (a shaky hand, two
volunteers): one payment recorded, on the stop and on the shop's order."""
import pytest
from django.test import Client

from plugins.local_delivery.models import DeliveryStop, DoorPayment
from plugins.payments.models import InStorePayment
from tests.conftest import requires_postgres
from tests.support.parallel import run_at_once

from .test_door_payments import ANNE, record_url
from .test_rounds import order_for_tuesday

TAPS = 6


@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_taps_record_one_payment(market, team):
    order = order_for_tuesday(market, ANNE, products=[market["wine"]])
    stop = DeliveryStop.objects.get(order=order)
    wine = order.shop_orders.get()
    url = record_url(stop, wine)
    volunteer = team["volunteer"]

    def prepare(_number):
        client = Client()
        client.force_login(volunteer)
        return client

    def tap(client):
        return client.post(url, {"outcome": "paye", "amount": "22,00", "means": "especes"}, follow=True
                           ).content.decode()

    pages, errors = run_at_once(tap, range(TAPS), prepare=prepare)

    assert not errors, errors
    assert sum("Cave Test : 22,00\u00a0€ reçus (Espèces)." in html for html in pages) == 1
    assert sum("déjà enregistré" in html for html in pages) == TAPS - 1
    assert DoorPayment.objects.filter(shop_order=wine).count() == 1
    assert InStorePayment.objects.get(shop_order=wine).amount == wine.amount_due
