"""Every order reaches someone (issue 17, item 3): a shop with no e-mail address (the
association's own products) has its orders sent to the association's contact, and
the association's dashboard lists them until they are handled."""
import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import Site

from shops_pages.models import ShopPage
from tests import factories
from tests.integration.helpers import place_order
from townmarket.models import TownSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def silent_shop(town, team):
    """The association's own stall: no e-mail on its vitrine, nobody in its team."""
    stall = factories.shop("Association des commerçants", kind="Association")
    ShopPage.objects.filter(pk=stall.pk).update(email="")
    identity = TownSettings.for_site(Site.objects.get(is_default_site=True))
    identity.email = "bureau@commercants.example.org"
    identity.save()
    return {"stall": stall, "card": factories.product(stall, title="Carte de la ville", price="20.00", stock=50)}


def test_an_order_for_a_shop_without_address_goes_to_the_association(client, town, team, silent_shop):
    order = place_order(client, [(silent_shop["card"], 1), (town["comte"], 1)])

    to_association = [m for m in mail.outbox if "bureau@commercants.example.org" in m.to]
    assert len(to_association) == 1
    message = to_association[0]
    assert order.number in message.subject and "Association des commerçants" in message.subject
    assert "Carte de la ville" in message.body and "Comté" not in message.body
    assert "n'a pas d'adresse e-mail" in message.body
    assert any("fromagerie-test@example.org" in m.to for m in mail.outbox)  # the others as before


def test_the_association_dashboard_lists_the_orders_of_shops_without_address(client, town, team, silent_shop):
    order = place_order(client, [(silent_shop["card"], 1), (town["comte"], 1)])
    client.force_login(team["staff"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Commandes de commerces sans adresse e-mail" in home
    assert order.number in home and "Association des commerçants" in home
    assert "bureau@commercants.example.org" in home

    client.force_login(team["alice"])  # a merchant sees no other shop's orders
    assert "Commandes de commerces sans adresse e-mail" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_nobody_to_tell_is_said_on_the_dashboard(client, town, team, silent_shop):
    TownSettings.objects.update(email="")
    order = place_order(client, [(silent_shop["card"], 1)])
    assert not [m for m in mail.outbox if "Association des commerçants" in m.subject]
    client.force_login(team["staff"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert order.number in home and "a été prévenu de ces commandes : ni le commerce ni l" in home
