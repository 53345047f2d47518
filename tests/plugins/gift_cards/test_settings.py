"""The town's gift-card rules (how long a card lasts, how many wrong codes before a
wait, how long the wait) are a per-town setting the association edits in Paramètres."""
import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from plugins.gift_cards import codes, throttle
from plugins.gift_cards.models import GiftCard, GiftCardSettings, add_months

from .conftest import page_text
from .test_buying import hand_over, place_card_order

pytestmark = pytest.mark.django_db
BALANCE = "/cartes-cadeaux/solde/"


def settings_url(site=None):
    site = site or Site.objects.get(is_default_site=True)
    return reverse("wagtailsettings:edit", args=["gift_cards", "giftcardsettings", site.pk])


def rules(validity="24", attempts="3", minutes="30"):
    return {"validity_months": validity, "throttle_attempts": attempts, "throttle_minutes": minutes}


def test_the_association_sets_validity_and_throttle_and_the_town_follows(client, team, offers,
                                                                          django_capture_on_commit_callbacks):
    client.force_login(team["staff"])
    page = client.get(settings_url())
    assert page.status_code == 200 and "Durée de validité d&#x27;une carte (mois)" in page.content.decode()
    response = client.post(settings_url(), rules())
    assert response.status_code == 302, response.content.decode()[-3000:]
    client.logout()

    assert "Valable 24 mois." in page_text(client.get(offers["town_card"].get_absolute_url()))
    hand_over(place_card_order(client, offers, django_capture_on_commit_callbacks), django_capture_on_commit_callbacks)
    assert GiftCard.objects.get().expires_on == add_months(timezone.localdate(), 24)

    for _ in range(3):
        assert client.post(BALANCE, {"code": codes.generate()}).status_code == 400
    blocked = client.post(BALANCE, {"code": codes.generate()})
    assert blocked.status_code == 429
    assert "Trop de codes erronés : réessayez dans 30 minutes." in page_text(blocked)


def test_an_offer_of_its_own_keeps_its_validity(offers):
    GiftCardSettings.objects.update_or_create(site=Site.objects.get(is_default_site=True),
                                              defaults={"validity_months": 24})
    offer = offers["town_card"].gift_card_offer
    assert offer.validity() == 24
    offer.validity_months = 6
    assert offer.validity() == 6


@pytest.mark.parametrize("overrides, message", [
    ({"validity": "0"}, "supérieure ou égale à 1"),
    ({"validity": "61"}, "inférieure ou égale à 60"),
    ({"attempts": "2"}, "supérieure ou égale à 3"),
    ({"attempts": "21"}, "inférieure ou égale à 20"),
    ({"minutes": "4"}, "supérieure ou égale à 5"),
    ({"minutes": "1441"}, "inférieure ou égale à 1440"),
    ({"minutes": "quinze"}, "Saisissez un nombre entier."),
])
def test_bad_values_are_refused_in_french_and_nothing_is_saved(client, team, overrides, message):
    client.force_login(team["staff"])
    response = client.post(settings_url(), rules(**overrides))
    assert response.status_code == 200 and message in response.content.decode()
    saved = GiftCardSettings.for_town()
    assert (saved.validity_months, saved.throttle_attempts, saved.throttle_minutes) == (12, 5, 15)


@pytest.mark.parametrize("who", ["alice", "volunteer"])
def test_merchants_and_volunteers_cannot_change_them(client, team, who):
    client.force_login(team[who])
    response = client.post(settings_url(), rules())
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert GiftCardSettings.for_town().validity_months == 12


def test_each_town_throttles_with_its_own_limits_and_commands_use_the_default_town(client, town, rf):
    other = Site.objects.create(hostname="autre-ville.example.fr", port=80,
                                root_page=Site.objects.get(is_default_site=True).root_page)
    GiftCardSettings.objects.update_or_create(site=other, defaults={"throttle_attempts": 3, "throttle_minutes": 60})
    assert throttle.limits() == (5, 15)  # no request: a command or the task worker
    assert throttle.limits(rf.get("/", HTTP_HOST="autre-ville.example.fr")) == (3, 60)

    for _ in range(3):
        client.post(BALANCE, {"code": codes.generate()}, HTTP_HOST="autre-ville.example.fr")
    blocked = client.post(BALANCE, {"code": codes.generate()}, HTTP_HOST="autre-ville.example.fr")
    assert blocked.status_code == 429 and "réessayez dans 60 minutes" in page_text(blocked)
