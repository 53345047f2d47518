"""A row id typed or forged in a back-office address or form (« ?ville= », « ?shop= »,
a bulk action's « ?id= », a phone order's customer) that is no plain row id: « ² »
(which Python's str.isdigit() accepts) or a number too big for the database's integer
column. The page refuses it (a 404), never with a server error."""
import pytest
from django.test import Client
from django.urls import reverse

from tests.plugins.towns import default_town, second_town

pytestmark = pytest.mark.django_db

NOT_ROW_IDS = ["²", "99999999999999999999"]
ALL_REFUSED = dict.fromkeys(NOT_ROW_IDS, 404)
ROUND_DAY = "2026-11-24"


def client_of(user):
    """`user` on the default town's address, a server error answered as a 500 page."""
    client = Client(HTTP_HOST=default_town().hostname, raise_request_exception=False)
    client.force_login(user)
    return client


def answers(client, method, url, field, extra=None):
    """{value: status code} for each value that is not a row id sent as `field`."""
    return {value: getattr(client, method)(url, {**(extra or {}), field: value}).status_code for value in NOT_ROW_IDS}


def test_a_wrong_town_in_ville_is_a_404(team):
    client = client_of(team["staff"])
    pages = [reverse("local_delivery_round", args=[ROUND_DAY]), reverse("local_delivery_run_sheet", args=[ROUND_DAY]),
             reverse("payments_settlement")]
    assert {url: answers(client, "get", url, "ville") for url in pages} == dict.fromkeys(pages, ALL_REFUSED)
    assert answers(client, "get", reverse("local_delivery_rounds"), "ville", {"date": ROUND_DAY}) == ALL_REFUSED


@pytest.mark.parametrize("name", ["backoffice_legal_identity", "payments_payout_account", "local_delivery_shop"])
def test_a_wrong_shop_in_a_settings_page_is_a_404(team, name):
    client = client_of(team["alice"])
    assert answers(client, "get", reverse(name), "shop") == ALL_REFUSED
    assert answers(client, "post", reverse(name), "shop") == ALL_REFUSED


def test_a_wrong_account_in_wagtail_user_screens_is_a_404(team):
    """With several towns, Wagtail's bulk actions and account screens are checked
    against the accounts of the staff's town (backoffice.wagtail_screens)."""
    second_town()
    client = client_of(team["staff"])
    assert answers(client, "get", "/admin/bulk/auth/user/delete/", "id") == ALL_REFUSED
    assert answers(client, "get", "/admin/bulk/auth/user/set_active_state/", "id") == ALL_REFUSED
    assert client.get("/admin/users/edit/99999999999999999999/").status_code == 404  # « ² » matches no URL


@pytest.mark.parametrize("kind", ["user", "order"])
def test_a_wrong_customer_in_a_phone_order_is_a_404(team, kind):
    client = client_of(team["staff"])
    assert {value: client.post(reverse("backoffice_phone_order"), {"action": "choose", "customer": f"{kind}:{value}"})
            .status_code for value in NOT_ROW_IDS} == ALL_REFUSED
