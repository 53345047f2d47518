"""Who sets what: the association the marketplace's rules (a Wagtail setting), each
merchant their own shop's methods."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import Site

from plugins.local_delivery.models import DeliverySettings, ShopDelivery
from tests.integration.helpers import add_to_basket


def default_site():
    return Site.objects.get(is_default_site=True)


def settings_url(site=None):
    return reverse("wagtailsettings:edit", args=["local_delivery", "deliverysettings", (site or default_site()).pk])


def settings_form(**overrides):
    data = {
        "zone_postcodes": "30700", "zone_communes": "Uzès\nSaint-Quentin-la-Poterie",
        "food_days": ["2", "5"], "other_days": ["4"], "cutoff_time": "18:00", "cutoff_days_before": "1",
        "round_capacity": "12", "local_fee": "0,00", "local_free_above": "", "postal_fee": "4,00",
        "postal_days": ["1", "2", "3", "4", "5"],
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestMarketplaceSettings:
    def test_the_association_sets_zone_days_cut_off_and_capacity(self, client, team):
        client.force_login(team["staff"])
        page = client.get(settings_url())
        assert page.status_code == 200 and "Jours de tournée des commerces alimentaires" in page.content.decode()
        response = client.post(settings_url(), settings_form(food_days=["3"], cutoff_time="12:30",
                                                            local_free_above="30,00"))
        assert response.status_code == 302, response.content.decode()[-3000:]
        saved = DeliverySettings.for_town()
        assert saved.food_days == [3] and saved.other_days == [4] and saved.postal_days == [1, 2, 3, 4, 5]
        assert saved.cutoff_time == dt.time(12, 30) and saved.round_capacity == 12
        assert saved.local_free_above == Decimal("30.00")
        assert saved.zone.covers("30700", "UZES") and not saved.zone.covers("30700", "Nîmes")

    @pytest.mark.parametrize("overrides, message", [
        ({"zone_postcodes": "30700, 3070"}, "Codes postaux invalides : 3070"),
        ({"round_capacity": "0"}, "supérieure ou égale à 1"),
        ({"postal_fee": "-4"}, "supérieure ou égale à 0"),
        ({"food_days": ["9"]}, "9 n’en fait pas partie"),
        ({"cutoff_time": "25:00"}, "Saisissez une heure valide"),
    ])
    def test_bad_settings_are_refused_and_nothing_is_saved(self, client, team, overrides, message):
        client.force_login(team["staff"])
        response = client.post(settings_url(), settings_form(**overrides))
        assert response.status_code == 200
        assert message in response.content.decode().replace("&#x27;", "’").replace("'", "’")
        assert DeliverySettings.for_town().zone_postcodes == ""

    @pytest.mark.parametrize("who", ["alice", "volunteer"])
    def test_merchants_and_volunteers_cannot_change_them(self, client, team, who):
        client.force_login(team[who])
        response = client.post(settings_url(), settings_form())
        assert response.status_code == 302 and response["Location"] == "/admin/"
        assert DeliverySettings.for_town().zone_postcodes == ""

    def test_the_settings_menu_opens_the_rules_of_the_town_being_browsed(self, client, team):
        client.force_login(team["staff"])
        response = client.get(reverse("wagtailsettings:edit", args=["local_delivery", "deliverysettings"]))
        assert response.status_code == 302 and response["Location"] == settings_url()

    def test_each_town_has_its_own_rules(self, team, town):
        """Two towns (Wagtail Sites) on one install: each town's association sets its own
        zone, not the other's, and each town's customers, on its address, are offered
        their town's rounds."""
        from backoffice import roles
        from tests import factories
        from tests.plugins.towns import client_of, second_town, shop_in, town_staff

        other = second_town()
        here, there = client_of(default_site()), client_of(other)
        here.force_login(team["staff"])
        assert here.post(settings_url(), settings_form(zone_postcodes="21130", zone_communes="")).status_code == 302
        refused = here.post(settings_url(other), settings_form(zone_postcodes="99999", zone_communes=""))
        assert refused.status_code in (302, 403, 404) and "99999" not in DeliverySettings.for_town(site=other).zone_postcodes
        there.force_login(town_staff(other, roles.ASSOCIATION, "odile"))
        assert there.post(settings_url(other), settings_form(zone_postcodes="30700", zone_communes="",
                                                            round_capacity="7")).status_code == 302
        assert DeliverySettings.for_town(site=default_site()).zone_postcodes == "21130"
        assert DeliverySettings.for_town(site=other).round_capacity == 7
        here.logout()
        there.logout()

        mustard = factories.product(shop_in(other, "Épicerie de Beaune"), title="Moutarde", price="3.50", stock=5)
        add_to_basket(here, town["comte"])
        add_to_basket(there, mustard)
        here_page = here.get(reverse("checkout:index")).content.decode()
        there_page = there.get(reverse("checkout:index")).content.decode()
        assert "dans la zone : 21130." in here_page and "30700" not in here_page
        assert "dans la zone : 30700." in there_page and "21130." not in there_page


@pytest.mark.django_db
class TestShopMethods:
    url = reverse("local_delivery_shop")

    def test_a_merchant_sets_their_own_methods_and_preparation_time(self, client, team, town):
        client.force_login(team["alice"])
        assert self.url in client.get("/admin/").content.decode()  # the menu entry
        page = client.get(self.url).content.decode()
        assert "Fromagerie Test" in page and "Librairie Test" not in page
        response = client.post(self.url, {"shop": town["cheese"].partner.pk, "click_and_collect": "on",
                                          "postal": "on", "preparation_days": "2"})
        assert response.status_code == 302
        saved = ShopDelivery.objects.get(partner=town["cheese"].partner)
        assert (saved.click_and_collect, saved.local_delivery, saved.postal, saved.preparation_days) == (
            True, False, True, 2)

    def test_a_merchant_cannot_touch_another_shop(self, client, team, town):
        client.force_login(team["alice"])
        assert client.get(self.url, {"shop": town["books"].partner.pk}).status_code == 404
        assert client.post(self.url, {"shop": town["books"].partner.pk, "postal": "on",
                                      "preparation_days": "0"}).status_code == 404
        assert client.get(self.url, {"shop": "abc"}).status_code == 404
        assert not ShopDelivery.objects.filter(partner=town["books"].partner).exists()

    @pytest.mark.parametrize("data, message", [
        ({"preparation_days": "0"}, "Proposez au moins un mode de retrait ou de livraison à vos clients."),
        ({"postal": "on", "preparation_days": "-1"}, "supérieure ou égale à 0"),
        ({"postal": "on", "preparation_days": "99"}, "Indiquez un délai de 30 jours au plus."),
        ({"postal": "on", "preparation_days": "deux"}, "Saisissez un nombre entier."),
    ])
    def test_bad_values_are_explained_and_not_saved(self, client, team, town, data, message):
        client.force_login(team["alice"])
        response = client.post(self.url, {"shop": town["cheese"].partner.pk, **data})
        assert response.status_code == 200 and message in response.content.decode()
        assert not ShopDelivery.objects.filter(partner=town["cheese"].partner).exists()

    def test_the_association_picks_any_shop(self, client, team, town):
        client.force_login(team["staff"])
        page = client.get(self.url, {"shop": town["books"].partner.pk}).content.decode()
        assert "<option value=\"%d\" selected>Librairie Test</option>" % town["books"].partner.pk in page
        client.post(self.url, {"shop": town["books"].partner.pk, "click_and_collect": "on", "preparation_days": "1"})
        assert ShopDelivery.objects.get(partner=town["books"].partner).preparation_days == 1

    def test_volunteers_have_no_shop_methods_page(self, client, team):
        client.force_login(team["volunteer"])
        assert client.get(self.url).status_code == 302


@pytest.mark.django_db
def test_before_any_town_exists_the_rules_are_the_defaults_and_nothing_is_saved():
    Site.objects.all().delete()
    rules = DeliverySettings.for_town()
    assert rules.pk is None and rules.round_capacity == 20 and not rules.zone.configured
    assert not DeliverySettings.objects.exists()
