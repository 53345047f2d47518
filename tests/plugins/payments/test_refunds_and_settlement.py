"""Refunds shop by shop from the back office, payments taken in the shop, and the
settlement report: what the association owes each shop for a period."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from plugins.payments.models import InStorePayment, Payment, Refund, ShopCommission
from tests.integration.helpers import place_order

pytestmark = pytest.mark.django_db


def shop_order_of(order, shop):
    return order.shop_orders.get(partner=shop.partner)


def refund(client, shop_order, amount, reason="Article manquant"):
    return client.post(reverse("payments_refund", args=[shop_order.pk]),
                       {"refund-amount": amount, "refund-reason": reason}, follow=True)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_a_merchant_refunds_part_of_their_own_shop_order(client, paid_order, team, town, fake_stripe):
    cheese_part = shop_order_of(paid_order, town["cheese"])
    client.force_login(team["alice"])
    page = client.get(reverse("backoffice_order", args=[cheese_part.pk])).content.decode()
    assert "Payée en ligne" in page and "Encore remboursable : 12,40" in page

    response = refund(client, cheese_part, "4,40")
    assert messages_of(response) == ["4,40 € remboursés au client."]
    [call] = fake_stripe.calls("POST", "/v1/refunds")
    row = Refund.objects.get()
    assert call["params"]["amount"] == "440" and call["idempotency_key"] == f"townmarket-refund-{row.pk}"
    assert call["params"]["payment_intent"] == paid_order.online_payment.payment_intent
    assert row.status == Refund.Status.DONE and row.stripe_refund_id.startswith("re_")
    assert paid_order.sources.get().amount_refunded == Decimal("4.40")
    assert "Encore remboursable : 8,00" in response.content.decode()

    # More than what is left is refused, in French, and nothing is sent.
    response = refund(client, cheese_part, "8,01")
    assert messages_of(response) == ["Au plus 8,00 € peuvent encore être remboursés sur cette commande."]
    assert len(fake_stripe.calls("POST", "/v1/refunds")) == 1

    # The rest, then nothing is refundable any more.
    assert messages_of(refund(client, cheese_part, "8,00")) == ["8,00 € remboursés au client."]
    page = client.get(reverse("backoffice_order", args=[cheese_part.pk])).content.decode()
    assert "entièrement remboursée" in page


@pytest.mark.parametrize("amount, message", [
    ("abc", "Saisissez un montant en euros, par exemple 12,50."),
    ("-3", "Le montant doit être supérieur à zéro."),
    ("0", "Le montant doit être supérieur à zéro."),
    ("1,234", "Au plus deux chiffres après la virgule."),
    ("", "Indiquez le montant."),
])
def test_bad_refund_amounts_are_explained(client, paid_order, team, town, fake_stripe, amount, message):
    client.force_login(team["alice"])
    response = refund(client, shop_order_of(paid_order, town["cheese"]), amount)
    assert messages_of(response) == [message]
    assert not Refund.objects.exists() and fake_stripe.calls("POST", "/v1/refunds") == []


def test_a_merchant_cannot_refund_another_shop_nor_can_a_volunteer(client, paid_order, team, town, fake_stripe):
    client.force_login(team["bob"])  # the bookshop
    assert refund(client, shop_order_of(paid_order, town["cheese"]), "1,00").status_code == 404
    client.force_login(team["volunteer"])
    response = client.post(reverse("payments_refund", args=[shop_order_of(paid_order, town["cheese"]).pk]),
                           {"refund-amount": "1,00", "refund-reason": "x"})
    assert response.status_code in (302, 403) and not Refund.objects.exists()


def test_a_refund_refused_by_stripe_counts_for_nothing(client, paid_order, team, town, fake_stripe):
    fake_stripe.fail_next("/v1/refunds", status=400, type_="invalid_request_error", message="charge disputed")
    client.force_login(team["alice"])
    cheese_part = shop_order_of(paid_order, town["cheese"])
    response = refund(client, cheese_part, "12,40")
    assert messages_of(response) == ["Le service de paiement a refusé ce remboursement. Rien n'a été remboursé."]
    assert Refund.objects.get().status == Refund.Status.FAILED
    assert "Encore remboursable : 12,40" in response.content.decode()


def test_a_refund_stripe_did_not_answer_is_retried_with_the_same_key(client, paid_order, team, town, fake_stripe):
    client.force_login(team["alice"])
    cheese_part = shop_order_of(paid_order, town["cheese"])
    fake_stripe.delay = 1.5  # the refund is made at Stripe, but the answer comes too late
    response = refund(client, cheese_part, "5,00")
    assert "en attente" in messages_of(response)[0]
    row = Refund.objects.get()
    assert row.status == Refund.Status.PENDING
    assert "Encore remboursable : 7,40" in response.content.decode()  # a pending refund is held

    fake_stripe.delay = 0
    response = client.post(reverse("payments_retry_refund", args=[row.pk]), follow=True)
    assert messages_of(response) == ["5,00 € remboursés au client."]
    keys = {call["idempotency_key"] for call in fake_stripe.calls("POST", "/v1/refunds")}
    assert keys == {row.idempotency_key}
    assert len(fake_stripe.refunds) == 1  # refunded once at Stripe, whatever the retries
    assert Refund.objects.get().status == Refund.Status.DONE


def test_a_shop_cancelling_a_paid_part_refunds_it(client, paid_order, team, town, fake_stripe, django_capture_on_commit_callbacks):
    client.force_login(team["bob"])
    books_part = shop_order_of(paid_order, town["books"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("backoffice_order_status", args=[books_part.pk]), {"status": "annulee"})
    row = Refund.objects.get()
    assert (row.shop_order, row.amount, row.status) == (books_part, Decimal("8.90"), Refund.Status.DONE)
    assert fake_stripe.refunds[row.stripe_refund_id]["amount"] == 890


def test_pay_at_pickup_orders_are_recorded_as_paid_in_the_shop(client, town, team):
    order = place_order(client, [(town["comte"], 2)])
    cheese_part = order.shop_orders.get()
    client.force_login(team["alice"])
    page = client.get(reverse("backoffice_order", args=[cheese_part.pk])).content.decode()
    assert "À payer au retrait ou à la livraison : 24,80" in page

    url = reverse("payments_in_store", args=[cheese_part.pk])
    response = client.post(url, {"paid-amount": "24,80", "paid-means": "carte"}, follow=True)
    assert messages_of(response) == ["Paiement de 24,80 € enregistré."]
    assert "Payée en magasin" in response.content.decode() and "Carte bancaire" in response.content.decode()
    response = client.post(url, {"paid-amount": "24,80", "paid-means": "especes"}, follow=True)
    assert messages_of(response) == ["Le paiement de cette commande est déjà enregistré."]
    assert InStorePayment.objects.get().means == "carte"
    # and no refund through Stripe for money Stripe never had
    response = refund(client, cheese_part, "1,00")
    assert messages_of(response) == ["Cette commande n'a pas été payée en ligne : rendez l'argent au client directement."]


def test_the_settlement_report_per_shop_and_period(client, paid_order, team, town, fake_stripe):
    ShopCommission.objects.create(partner=town["cheese"].partner, rate=Decimal("5.00"))
    client.force_login(team["alice"])
    refund(client, shop_order_of(paid_order, town["cheese"]), "2,40")
    # An order paid last year is outside the period.
    old = Payment.objects.get(order=paid_order)
    today = timezone.localdate()
    period = {"du": today.replace(day=1).isoformat(), "au": today.isoformat()}

    client.force_login(team["staff"])
    page = client.get(reverse("payments_settlement"), period)
    rows = {row.partner.name: row for row in page.context["rows"]}
    cheese, books = rows["Fromagerie Test"], rows["Librairie Test"]
    # Cheese: 12,40 sold, 2,40 refunded, 0,33 of Stripe's 0,57 (its share of the 21,30
    # paid), 5 % of 10,00 = 0,50 kept, 9,17 due.
    assert (cheese.orders, cheese.sales, cheese.refunds, cheese.stripe_fees, cheese.commission, cheese.due) == (
        1, Decimal("12.40"), Decimal("2.40"), Decimal("0.33"), Decimal("0.50"), Decimal("9.17"))
    assert (books.sales, books.commission, books.due) == (Decimal("8.90"), Decimal("0.00"), Decimal("8.66"))
    assert page.context["totals"]["due"] == Decimal("17.83")

    csv_text = b"".join(client.get(reverse("payments_settlement_export"), period).streaming_content).decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0].startswith("Commerce;Du;Au;Commandes;Payé en ligne;")
    assert lines[1].startswith("Fromagerie Test;") and lines[1].endswith(
        ";1;12,40;0,00;0,00;0,00;12,40;2,40;0,00;0,33;0;5,00;0,50;9,67;0,50;9,17")

    # The previous month holds nothing.
    Payment.objects.filter(pk=old.pk).update(paid_at=timezone.now() - datetime.timedelta(days=40))
    Refund.objects.update(done_at=timezone.now() - datetime.timedelta(days=40))
    page = client.get(reverse("payments_settlement"), {"du": today.isoformat(), "au": today.isoformat()})
    assert page.context["rows"] == [] and "Aucune vente ni remboursement" in page.content.decode()


def test_a_merchant_sees_only_their_own_settlement(client, paid_order, team):
    client.force_login(team["bob"])
    page = client.get(reverse("payments_settlement"))
    assert [row.partner.name for row in page.context["rows"]] == ["Librairie Test"]
    assert reverse("payments_commission", args=[page.context["rows"][0].partner.pk]) not in page.content.decode()
    assert client.get(reverse("payments_commission", args=[page.context["rows"][0].partner.pk])).status_code == 302


@pytest.mark.parametrize("period, message", [
    ({"du": "2026-11-30", "au": "2026-11-01"}, "La date de début doit précéder la date de fin."),
    ({"du": "2026-13-45", "au": "2026-11-01"}, "Date invalide."),
    ({"du": "2020-01-01", "au": "2026-11-01"}, "Choisissez une période d'un an au plus."),
])
def test_a_bad_period_is_explained(client, team, period, message):
    client.force_login(team["staff"])
    page = client.get(reverse("payments_settlement"), period)
    assert page.status_code == 200 and message in page.content.decode().replace("&#x27;", "'")


def test_the_association_sets_a_shop_commission(client, team, town):
    client.force_login(team["staff"])
    url = reverse("payments_commission", args=[town["cheese"].partner.pk])
    page = client.post(url, {"rate": "120"})
    assert "Le taux ne peut pas dépasser 100 %." in page.content.decode()
    assert not ShopCommission.objects.exists()
    response = client.post(url, {"rate": "2,5"}, follow=True)
    assert messages_of(response) == ["Commission de Fromagerie Test : 2,50 %."]
    assert ShopCommission.objects.get().rate == Decimal("2.50")
    assert client.get(reverse("payments_commission", args=[999999])).status_code == 404
