"""A merchant works through their part of each order: only their lines, the
customer to call, the status moves with the e-mails and stock they imply."""
import io

import pytest
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model
from pypdf import PdfReader

from oscar_apps.order import workflow
from tests.integration.helpers import place_order

pytestmark = pytest.mark.django_db
ShopOrder = get_model("order", "ShopOrder")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def order(client, town, team):
    placed = place_order(client, [(town["comte"], 2), (town["novel"], 1)])
    mail.outbox.clear()
    client.logout()
    return placed


def cheese_part(order, town):
    return ShopOrder.objects.get(order=order, partner=town["cheese"].partner)


def test_the_list_shows_only_the_shops_part_and_the_menu_counts_new_orders(client, town, team, order):
    client.force_login(team["alice"])
    response = client.get(reverse("backoffice_orders"))
    assert [so.partner.name for so in response.context["page"]] == ["Fromagerie Test"]
    body = response.content.decode()
    assert order.number in body and "24,80\u00a0€" in body and "33,70" not in body
    assert "Commandes (1)" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_detail_shows_the_customer_to_call_and_only_this_shops_lines(client, town, team, order):
    client.force_login(team["alice"])
    body = client.get(reverse("backoffice_order", args=[cheese_part(order, town).pk])).content.decode()
    assert 'href="tel:+33612345678"' in body and "06 12 34 56 78" in body
    assert "helene@example.org" in body and "Hélène Jourdan" in body
    assert "Retrait en magasin (click &amp; collect)" in body
    assert "Comté 18 mois" in body and "Roman policier" not in body


def test_ready_then_collected_emails_the_customer_and_consumes_the_stock(client, town, team, order,
                                                                        django_capture_on_commit_callbacks):
    client.force_login(team["alice"])
    part = cheese_part(order, town)
    url = reverse("backoffice_order_status", args=[part.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"status": "en_preparation"})
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"status": "prete"}, follow=True)
    assert "Commande %s : Prête." % order.number in response.content.decode()
    [ready] = mail.outbox
    assert ready.to == ["helene@example.org"]
    assert "sont prêts" in ready.subject and "Comté 18 mois" in ready.body and "Roman policier" not in ready.body
    assert "Mardi 09h00–12h30" in ready.body
    client.post(url, {"status": "retiree"})
    record = StockRecord.objects.get(product=town["comte"])
    assert (record.num_in_stock, record.num_allocated) == (3, 0)
    part.refresh_from_db()
    assert part.status == "retiree"


def test_cancelling_releases_the_stock_and_tells_the_customer(client, town, team, order,
                                                              django_capture_on_commit_callbacks):
    client.force_login(team["alice"])
    part = cheese_part(order, town)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("backoffice_order_status", args=[part.pk]), {"status": "annulee"})
    record = StockRecord.objects.get(product=town["comte"])
    assert (record.num_in_stock, record.num_allocated) == (5, 0)
    [cancelled] = mail.outbox
    assert "a annulé" in cancelled.subject and "24,80" in cancelled.body
    # the bookshop's part is untouched
    assert ShopOrder.objects.get(order=order, partner=town["books"].partner).status == "nouvelle"
    assert StockRecord.objects.get(product=town["novel"]).num_allocated == 1


def test_a_move_the_status_does_not_allow_is_refused_with_a_message(client, town, team, order):
    client.force_login(team["alice"])
    part = cheese_part(order, town)
    for status in ["retiree", "n-importe-quoi", ""]:
        response = client.post(reverse("backoffice_order_status", args=[part.pk]), {"status": status}, follow=True)
        assert "ne peut pas passer de « Nouvelle »" in response.content.decode()
    part.refresh_from_db()
    assert part.status == "nouvelle"


def test_a_stale_status_change_loses_instead_of_moving_twice(town, team, order):
    part = cheese_part(order, town)
    stale = ShopOrder.objects.get(pk=part.pk)
    workflow.change_status(part, "annulee")
    with pytest.raises(workflow.StatusConflict):
        workflow.change_status(stale, "en_preparation")
    assert StockRecord.objects.get(product=town["comte"]).num_allocated == 0


def test_the_packing_slip_is_a_pdf_with_the_shops_lines_only(client, town, team, order):
    client.force_login(team["alice"])
    response = client.get(reverse("backoffice_order_slip", args=[cheese_part(order, town).pk]))
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert order.number in text and "Comté 18 mois" in text and "06 12 34 56 78" in text
    assert "Roman policier" not in text and "24,80 €" in text


def test_the_shops_total_says_whose_it_is(client, town, team, order):
    """The merchant reads « Total de votre commerce »; association staff, who run no shop,
    read the shop's name."""
    url = reverse("backoffice_order", args=[cheese_part(order, town).pk])
    client.force_login(team["alice"])
    assert "Total de votre commerce" in client.get(url).content.decode()
    client.force_login(team["staff"])
    body = client.get(url).content.decode()
    assert "Total de votre commerce" not in body and "Total pour Fromagerie Test" in body


def test_association_staff_see_every_shops_orders_and_volunteers_none(client, town, team, order):
    client.force_login(team["staff"])
    names = {so.partner.name for so in client.get(reverse("backoffice_orders")).context["page"]}
    assert names == {"Fromagerie Test", "Librairie Test"}
    client.force_login(team["volunteer"])
    assert client.get(reverse("backoffice_orders")).status_code == 302  # Wagtail: "no permission", back to the dashboard
    assert client.get(reverse("backoffice_order", args=[cheese_part(order, town).pk])).status_code == 302
    assert "Commandes" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_an_empty_list_explains_what_will_appear(client, town, team):
    client.force_login(team["bob"])
    assert "Pas encore de commande" in client.get(reverse("backoffice_orders")).content.decode()
