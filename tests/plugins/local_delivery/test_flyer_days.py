"""The paper flyer tells the delivery days the town's settings say (FLYER_SECTIONS)."""
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from plugins.local_delivery.models import DeliverySettings

pytestmark = pytest.mark.django_db


def flyer_text(client):
    response = client.get(reverse("backoffice_flyer"), {"format": "A4"})
    assert response.status_code == 200
    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())


def test_the_flyer_says_the_rounds_days_from_the_settings(client, team, zone):
    client.force_login(team["staff"])
    assert "Livraison à domicile : mardi et vendredi (alimentaire), jeudi (autres)" in flyer_text(client)

    zone.food_days, zone.other_days = [3], [1, 3, 5]
    zone.save()
    assert "Livraison à domicile : mercredi (alimentaire), lundi, mercredi et vendredi (autres)" in flyer_text(client)


def test_no_delivery_line_without_a_delivery_zone(client, team):
    settings = DeliverySettings.for_town()
    settings.zone_postcodes = settings.zone_communes = ""
    settings.save()
    client.force_login(team["staff"])
    assert "Livraison à domicile" not in flyer_text(client)
