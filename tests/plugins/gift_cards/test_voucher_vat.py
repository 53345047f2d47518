"""VAT on vouchers (CGI art. 256 ter, EU directive 2016/1065): a card for an amount to
spend on anything (a shop card, the town card) is a multi-purpose voucher, outside VAT
when sold; the VAT is due on what it buys. A voucher for one service is single-purpose:
its service's VAT is due when it is sold. Charging VAT on both the card and its use
counted the tax twice on the customer's invoices."""
import io

import pytest
from django.urls import reverse
from oscar.core.loading import get_model
from pypdf import PdfReader

from invoicing.models import Document
from tests.integration.helpers import checkout_data

from .conftest import buy_card

ShopOrder = get_model("order", "ShopOrder")
pytestmark = pytest.mark.django_db


def invoice_text(shop_order):
    from invoicing.pdf import render

    document = Document.objects.get(shop_order=shop_order)
    return document, " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render(document))).pages)


@pytest.mark.parametrize("card", ["town_card", "shop_card"])
def test_a_card_for_an_amount_is_invoiced_outside_vat(client, offers, card, django_capture_on_commit_callbacks):
    buy_card(client, offers[card])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("checkout:index"), checkout_data(client))
    partner = offers[card].stockrecords.get().partner
    document, text = invoice_text(ShopOrder.objects.get(partner=partner))
    assert {row["rate"] for row in document.content["rates"]} == {"0.0"}
    assert sum(float(row["vat"]) for row in document.content["rates"]) == 0
    assert "hors champ" in text.lower() and "256 ter" in text


def test_a_voucher_for_a_service_carries_the_service_s_vat(client, offers, django_capture_on_commit_callbacks):
    buy_card(client, offers["voucher"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("checkout:index"), checkout_data(client))
    partner = offers["voucher"].stockrecords.get().partner
    document, _text = invoice_text(ShopOrder.objects.get(partner=partner))
    assert {row["rate"] for row in document.content["rates"]} == {"20.0"}


def test_merchants_cannot_pick_outside_vat_for_their_products():
    from backoffice.products.forms import ProductForm

    assert "0.0" not in dict(ProductForm.base_fields["vat_rate"].choices)
