"""Volunteers see the customers' names, phones and addresses only for the rounds they
may be driving (from yesterday to a week ahead); other rounds show counts only, and
their run sheet and stops are out of reach. Association staff see every round."""
import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from plugins.local_delivery.models import DeliveryStop
from tests.plugins.local_delivery.test_rounds import CUSTOMERS, TUESDAY, order_for_tuesday

pytestmark = pytest.mark.django_db
PERSONAL = ["Zoé", "Martin", "rue Zola", "Tanneurs", "06 12 34 56 78", "tel:+33612345678"]


@pytest.fixture
def tuesday(market):
    return [order_for_tuesday(market, customer) for customer in CUSTOMERS]


def pdf_text(response):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def seen(text):
    return [item for item in PERSONAL if item in text]


@pytest.mark.parametrize("days", [-30, -2, 8, 30])  # days from today to the round
def test_a_volunteer_sees_no_personal_data_on_a_distant_round(client, team, tuesday, frozen_clock, days):
    frozen_clock.set(dt.datetime.combine(TUESDAY, dt.time(9)) - dt.timedelta(days=days))
    client.force_login(team["volunteer"])
    response = client.get(reverse("local_delivery_round", args=[TUESDAY]))
    html = response.content.decode()
    assert response.status_code == 200 and seen(html) == []
    assert "4 adresses" in html and "Les coordonnées des clients ne sont visibles" in html
    assert reverse("local_delivery_run_sheet", args=[TUESDAY]) not in html
    assert client.get(reverse("local_delivery_run_sheet", args=[TUESDAY])).status_code == 404
    stop = DeliveryStop.objects.get(order=tuesday[0])
    marked = client.post(reverse("local_delivery_mark_stop", args=[stop.pk]), {"status": "livre"})
    assert marked.status_code == 404 and DeliveryStop.objects.get(pk=stop.pk).status == DeliveryStop.Status.PENDING


@pytest.mark.parametrize("days", [-1, 0, 1, 7])  # yesterday's round, today's, tomorrow's, in a week
def test_a_volunteer_sees_the_stops_of_a_round_near_today(client, team, tuesday, frozen_clock, days):
    frozen_clock.set(dt.datetime.combine(TUESDAY, dt.time(9)) - dt.timedelta(days=days))
    client.force_login(team["volunteer"])
    html = client.get(reverse("local_delivery_round", args=[TUESDAY])).content.decode()
    assert seen(html) == PERSONAL
    sheet = client.get(reverse("local_delivery_run_sheet", args=[TUESDAY]))
    assert sheet.status_code == 200 and "Martin" in pdf_text(sheet) and "06 12 34 56 78" in pdf_text(sheet)


@pytest.mark.parametrize("days", [-30, 30])
def test_association_staff_see_every_round(client, team, tuesday, frozen_clock, days):
    frozen_clock.set(dt.datetime.combine(TUESDAY, dt.time(9)) - dt.timedelta(days=days))
    client.force_login(team["staff"])
    assert seen(client.get(reverse("local_delivery_round", args=[TUESDAY])).content.decode()) == PERSONAL
    assert "Martin" in pdf_text(client.get(reverse("local_delivery_run_sheet", args=[TUESDAY])))
