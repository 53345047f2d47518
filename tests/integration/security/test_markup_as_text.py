"""A product title, a shop name or a customer name full of markup is shown as text
everywhere: storefront pages, flash messages, back office, e-mails and PDFs. A
merchant who names a product `<img src=x onerror=…>` runs no script in anybody's
session, and the packing slip prints what was typed."""
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from pypdf import PdfReader

from backoffice import roles
from plugins.gift_cards.demo import create_offer
from plugins.gift_cards.models import Kind
from plugins.gift_cards.pdf import render_card
from tests import factories
from tests.integration.helpers import add_to_basket, checkout_data, place_order
from tests.plugins.gift_cards.conftest import apply_code, make_card
from tests.plugins.local_delivery.conftest import frozen_clock, zone  # noqa: F401  fixtures
from tests.plugins.local_delivery.test_rounds import TUESDAY, order_for_tuesday

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
ShopOrder = get_model("order", "ShopOrder")
StockRecord = get_model("partner", "StockRecord")

TITLE = 'Comté <img src=x onerror=alert(1)> "&" <script>alert(2)</script>'
SHOP = 'Fromagerie <img src=x onerror=alert(3)>'
RAW = ("<img src=x onerror", "<script>alert(2)")
ESCAPED_TITLE = "Comté &lt;img src=x onerror=alert(1)&gt; &quot;&amp;&quot; &lt;script&gt;alert(2)&lt;/script&gt;"
ESCAPED_SHOP = "Fromagerie &lt;img src=x onerror=alert(3)&gt;"


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def assert_text_only(page, *escaped):
    for raw in RAW:
        assert raw not in page
    for text in escaped:
        assert text in page


def pdf_text(content):
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())  # table cells wrap long titles over several lines


@pytest.fixture
def hostile(town):
    """A shop whose name and a product whose title carry markup; the shop's merchant."""
    shop = factories.shop(SHOP, kind="Fromagerie")
    product = factories.product(shop, title=TITLE, price="12.40", stock=5)
    return {"shop": shop, "product": product, "merchant": factories.merchant(shop, "eve")}


def test_storefront_pages_show_the_title_as_text(client, hostile):
    product = hostile["product"]
    assert_text_only(html(client.get(product.get_absolute_url())), ESCAPED_TITLE, ESCAPED_SHOP)
    assert_text_only(html(client.get(reverse("catalogue:index"))), ESCAPED_TITLE)
    assert_text_only(html(client.get(reverse("catalogue:index"), {"q": "Comté"})), ESCAPED_TITLE)
    assert_text_only(html(client.get(hostile["shop"].url)), ESCAPED_TITLE, ESCAPED_SHOP)

    added = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1}, follow=True)
    # The basket page and Oscar's « added » message, built from a template: its own <strong> stays markup.
    assert_text_only(html(added), f"<strong>{ESCAPED_TITLE}</strong>")
    assert_text_only(html(client.get(reverse("checkout:index"))), ESCAPED_TITLE, ESCAPED_SHOP)

    placed = client.post(reverse("checkout:index"), checkout_data(client), follow=True)
    assert Order.objects.count() == 1
    assert_text_only(html(placed), ESCAPED_TITLE, ESCAPED_SHOP)  # the thank-you page


def test_a_description_keeps_its_formatting_but_never_runs_script(client, hostile):
    product = hostile["product"]
    product.description = ('<p>Affiné <b>18 mois</b><script>alert(4)</script></p>'
                           '<img src=x onerror=alert(5)><p onclick="alert(6)"><a href="javascript:alert(7)">lien</a></p>')
    product.save()
    page = html(client.get(product.get_absolute_url()))
    assert "<p>Affiné <b>18 mois</b>" in page
    for raw in ("<script>alert(4)", "onerror=alert(5)", "onclick", "javascript:alert(7)"):
        assert raw not in page
    assert "<p>lien</p>" in page  # an unknown element keeps its text


def test_flash_messages_show_the_title_as_text(client, hostile, django_user_model):
    product = hostile["product"]
    customer = django_user_model.objects.create_user("marie", "marie@example.org", "pw-secret-123")
    client.force_login(customer)
    wished = client.post(reverse("customer:wishlists-add-product", kwargs={"product_pk": product.pk}), follow=True)
    messages = [str(message) for message in wished.context["messages"]]
    assert any(TITLE in message for message in messages), messages
    assert_text_only(html(wished), ESCAPED_TITLE)

    # The last unit goes to somebody else between the basket and the order.
    add_to_basket(client, product, 2)
    data = checkout_data(client)
    StockRecord.objects.filter(product=product).update(num_allocated=4)
    refused = client.post(reverse("checkout:index"), data, follow=True)
    assert not Order.objects.exists()
    messages = [str(message) for message in refused.context["messages"]]
    assert any(TITLE in message for message in messages), messages
    assert_text_only(html(refused), ESCAPED_TITLE)


def test_gift_card_messages_show_names_as_text(client, hostile):
    partner = hostile["shop"].partner
    offer = create_offer(partner, TITLE, "<p>Carte</p>", Decimal("20.00"), kind=Kind.SHOP, preset_amounts="20 50",
                         min_amount=Decimal("10"), max_amount=Decimal("150"))
    added = client.post(reverse("gift_cards_add", args=[offer.pk]), {
        "carte-amount_choice": "20", "carte-recipient_name": "Léa <b>Martin</b>",
        "carte-recipient_email": "lea@example.org", "carte-send_on": timezone.localdate().isoformat()}, follow=True)
    assert_text_only(html(added), ESCAPED_TITLE, "Léa &lt;b&gt;Martin&lt;/b&gt;")

    client.cookies.clear()
    service = make_card(Kind.SERVICE, amount="12.40", partner=partner, service=hostile["product"])
    add_to_basket(client, factories.product(hostile["shop"], title="Tomme", price="5.00"))
    assert_text_only(html(apply_code(client, service.code)), ESCAPED_TITLE, ESCAPED_SHOP)

    shop_card = make_card(Kind.SHOP, partner=partner)
    client.cookies.clear()
    add_to_basket(Client(), hostile["product"])
    other = factories.shop("Librairie Autre", kind="Librairie", is_food=False)
    add_to_basket(client, factories.product(other, title="Roman", price="8.90"))
    assert_text_only(html(apply_code(client, shop_card.code)), ESCAPED_SHOP)


def test_the_back_office_shows_the_title_as_text(client, hostile):
    order = place_order(client, [(hostile["product"], 1)], first_name="Léa <img src=x onerror=alert(8)>")
    client.force_login(hostile["merchant"])
    shop_order = ShopOrder.objects.get(order=order)
    assert_text_only(html(client.get(reverse("backoffice_products"))), ESCAPED_TITLE)
    assert_text_only(html(client.get(reverse("backoffice_orders"))), "Léa &lt;img src=x onerror=alert(8)&gt;")
    assert_text_only(html(client.get(reverse("backoffice_order", args=[shop_order.pk]))), ESCAPED_TITLE,
                     "Léa &lt;img src=x onerror=alert(8)&gt;")
    assert_text_only(html(client.get(reverse("backoffice_sales"))), ESCAPED_TITLE)

    slip = client.get(reverse("backoffice_order_slip", args=[shop_order.pk]))
    assert slip["Content-Type"] == "application/pdf"
    text = pdf_text(slip.content)
    assert TITLE in text and SHOP in text and "Léa <img src=x onerror=alert(8)>" in text


def test_e_mails_show_the_title_as_text(client, hostile):
    mail.outbox.clear()
    place_order(client, [(hostile["product"], 1)], first_name="Léa <b>")
    assert mail.outbox
    for message in mail.outbox:
        assert TITLE in message.body  # plain text: shown as typed
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                assert_text_only(content, ESCAPED_TITLE, "Léa &lt;b&gt;")


def test_the_gift_card_pdf_prints_names_as_typed(hostile):
    card = make_card(Kind.SERVICE, amount="12.40", partner=hostile["shop"].partner, service=hostile["product"])
    card.recipient_name, card.message = "Léa <b>Martin</b>", "<i>Bon</i> & <img src=y>"
    text = pdf_text(render_card(card))
    assert TITLE in text and SHOP in text
    assert "Léa <b>Martin</b>" in text and "<i>Bon</i> & <img src=y>" in text


def test_the_run_sheet_prints_names_as_typed(client, town, hostile, zone, frozen_clock):  # noqa: F811
    market = {**town, "comte": hostile["product"]}
    order_for_tuesday(market, {"first_name": "<b>Léa</b> =1+1", "last_name": "Martin", "rank": 1,
                               "delivery_line1": "5 rue <i>Zola</i>", "delivery_postcode": "21130",
                               "notes": "Code <porte> & 2"})
    client.force_login(factories.role_user(roles.VOLUNTEERS, "paul"))
    sheet = client.get(reverse("local_delivery_run_sheet", args=[TUESDAY]))
    assert sheet["Content-Type"] == "application/pdf"
    text = pdf_text(sheet.content)
    assert "<b>Léa</b> =1+1 Martin" in text and "5 rue <i>Zola</i>" in text and "Code <porte> & 2" in text
    assert SHOP in text


def html_parts(message):
    return [content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"]


def test_stock_alert_e_mails_show_the_title_as_text(client, hostile, django_user_model):
    """Oscar's « back in stock » alerts: the confirmation to a guest, the alert to a customer."""
    product = hostile["product"]
    StockRecord.objects.filter(product=product).update(num_in_stock=0)
    mail.outbox.clear()
    client.post(reverse("customer:alert-create", args=[product.pk]), {"email": "guest@example.org"})
    customer = django_user_model.objects.create_user("marie", "marie@example.org", "pw-secret-123")
    signed_in = Client()
    signed_in.force_login(customer)
    signed_in.post(reverse("customer:alert-create", args=[product.pk]), {})
    record = StockRecord.objects.get(product=product)
    record.num_in_stock = 5
    record.save()  # Oscar e-mails the alerts when the product is back in stock
    sent = [part for message in mail.outbox for part in html_parts(message)]
    assert len(sent) == 2, [message.subject for message in mail.outbox]
    for content in sent:
        assert_text_only(content, ESCAPED_TITLE)
