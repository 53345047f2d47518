"""One order state machine: an order changes state only through the marketplace's
workflow (the back office, the payment plugin, the sweep of waiting payments), with its
stock, delivery, refund and e-mail effects. Oscar's dashboard and the Django admin offer
no other way, and only superusers reach Oscar's dashboard at all."""
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from oscar_apps.order.statuses import OrderStatus, ShopOrderStatus
from tests.integration.helpers import place_order
from townmarket.models import OutboxMessage

Order = get_model("order", "Order")
ShopOrder = get_model("order", "ShopOrder")
StockRecord = get_model("partner", "StockRecord")

# What Oscar's pipeline used to offer staff: a cancellation, and « Nouvelle » for an unpaid order.
CANCELLED_IN_OSCAR = "Annulée"


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "pw-root-2026")


@pytest.fixture
def placed(town, client):
    """A customer's order of two cheeses and a novel: two shops, stock allocated."""
    order = place_order(client, [(town["comte"], 2), (town["novel"], 1)])
    client.logout()
    return order


def snapshot(order):
    """What a change of state would move: the order's and its lines' statuses, each
    shop's part, the stock held for it, and the e-mails waiting to go."""
    return {
        "order": Order.objects.get(pk=order.pk).status,
        "lines": sorted(order.lines.values_list("status", flat=True)),
        "shop_orders": sorted(ShopOrder.objects.filter(order=order).values_list("status", flat=True)),
        "allocated": sorted(StockRecord.objects.values_list("pk", "num_allocated")),
        "e-mails": OutboxMessage.objects.count(),
    }


# --- Oscar's dashboard -------------------------------------------------------------------
@pytest.mark.parametrize("start, asked", [
    (OrderStatus.PLACED, CANCELLED_IN_OSCAR),
    (OrderStatus.AWAITING_PAYMENT, OrderStatus.PLACED),  # « paid » by hand: no payment, no e-mail
    (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAYMENT_ABANDONED),  # stock and places left held
])
def test_the_dashboard_changes_no_order_status(client, superuser, placed, start, asked):
    Order.objects.filter(pk=placed.pk).update(status=start)
    before = snapshot(placed)
    client.force_login(superuser)
    url = reverse("dashboard:order-detail", kwargs={"number": placed.number})
    page = client.get(url)
    assert page.status_code == 200
    assert "L'état de cette commande ne peut être modifié." in page.content.decode()  # no form offered

    client.post(url, {"order_action": "change_order_status", "new_status": asked})
    client.post(reverse("dashboard:order-list"),
                {"action": "change_order_statuses", "selected_order": [placed.pk], "new_status": asked})

    assert snapshot(placed) == before
    assert not placed.notes.exists()  # no « Order status changed » note either


def test_the_dashboard_changes_no_line_status(client, superuser, placed):
    before = snapshot(placed)
    client.force_login(superuser)
    url = reverse("dashboard:order-detail", kwargs={"number": placed.number})
    offered = BeautifulSoup(client.get(url).content, "html.parser").select("#new_status_select option[value!='']")
    assert offered == []
    data = {"line_action": "change_line_statuses", "new_status": CANCELLED_IN_OSCAR,
            "selected_line": [line.pk for line in placed.lines.all()]}
    data.update({f"selected_line_qty_{line.pk}": line.quantity for line in placed.lines.all()})
    client.post(url, data)
    assert snapshot(placed) == before


@pytest.mark.parametrize("who", ["alice", "volunteer", "staff", "is_staff"])
def test_only_superusers_open_oscars_dashboard(client, team, placed, who):
    if who == "is_staff":  # a Django admin account that is not a superuser
        user = get_user_model().objects.create_user("ines", "ines@example.org", "pw-ines-2026", is_staff=True)
    else:
        user = team[who]
    client.force_login(user)
    for url in (reverse("dashboard:index"), reverse("dashboard:order-list"),
                reverse("dashboard:order-detail", kwargs={"number": placed.number}),
                reverse("dashboard:catalogue-product-list"), reverse("dashboard:users-index")):
        answer = client.get(url)
        assert answer.status_code == 403, (who, url)
        assert "Accès refusé" in answer.content.decode()


def test_a_visitor_is_sent_to_log_in(client, placed):
    answer = client.get(reverse("dashboard:order-list"))
    assert answer.status_code == 302 and "/dashboard/" not in answer.url.split("?")[0]


def test_a_superuser_still_opens_the_dashboard(client, superuser, placed):
    client.force_login(superuser)
    assert client.get(reverse("dashboard:index")).status_code == 200
    assert placed.number in client.get(reverse("dashboard:order-list")).content.decode()


# --- The Django admin ----------------------------------------------------------------------
def admin_form(page):
    """The fields of the Django admin's change form as a browser would send them back."""
    form = BeautifulSoup(page.content, "html.parser").find("form", id=lambda i: i and i.endswith("_form"))
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.get("type") == "checkbox" and not field.has_attr("checked"):
            continue
        if field.name == "select":
            chosen = field.find("option", selected=True)
            value = chosen.get("value", "") if chosen else ""
        elif field.name == "textarea":
            value = field.text
        else:
            value = field.get("value", "")
        data[name] = value
    return data


def test_the_django_admin_changes_no_order_status(client, superuser, placed):
    before = snapshot(placed)
    client.force_login(superuser)
    url = reverse("admin:order_order_change", args=[placed.pk])
    data = admin_form(client.get(url))
    data["status"] = CANCELLED_IN_OSCAR
    for key in [key for key in data if key.endswith("-status")]:
        data[key] = CANCELLED_IN_OSCAR  # the lines' inline
    data["customer_name"] = "Hélène J."
    answer = client.post(url, data)
    assert answer.status_code == 302  # the rest of the order is still editable
    assert Order.objects.get(pk=placed.pk).customer_name == "Hélène J."
    assert snapshot(placed) == before


def test_the_django_admin_moves_no_shop_order(client, superuser, placed):
    before = snapshot(placed)
    shop_order = ShopOrder.objects.filter(order=placed).first()
    client.force_login(superuser)
    url = reverse("admin:order_shoporder_change", args=[shop_order.pk])
    page = client.get(url)
    assert page.status_code == 200  # shown, read-only
    data = admin_form(page)
    data.update(status=ShopOrderStatus.CANCELLED)
    client.post(url, data)
    assert snapshot(placed) == before


@pytest.mark.parametrize("model, pick", [
    ("order", lambda order: order),
    ("shoporder", lambda order: order.shop_orders.first()),
    ("line", lambda order: order.lines.first()),
])
def test_the_django_admin_deletes_no_order(client, superuser, placed, model, pick):
    """Deleting would drop the shop orders with their stock and delivery places held."""
    before = snapshot(placed)
    client.force_login(superuser)
    answer = client.post(reverse(f"admin:order_{model}_delete", args=[pick(placed).pk]), {"post": "yes"})
    assert answer.status_code == 403
    assert snapshot(placed) == before


def test_the_django_admin_adds_no_shop_order(client, superuser, placed):
    client.force_login(superuser)
    assert client.get(reverse("admin:order_shoporder_add")).status_code == 403
    assert client.get(reverse("admin:order_order_add")).status_code == 403
