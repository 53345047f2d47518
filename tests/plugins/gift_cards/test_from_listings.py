"""A gift card bought from anywhere goes through its form: listings lead to it, the
ordinary « Ajouter au panier » refuses it, the basket and checkout read like a sentence,
and its product page says « À partir de »."""
import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from tests.integration.helpers import add_to_basket

from .conftest import buy_card, page_messages, page_text

Basket = get_model("basket", "Basket")
pytestmark = pytest.mark.django_db


def french_day(*args, **kwargs):
    from plugins.gift_cards.lines import french_day
    return french_day(*args, **kwargs)


def text_of(response):
    return html.unescape(page_text(response))


def test_the_category_listing_links_gift_cards_to_their_form(client, offers, town):
    page = text_of(client.get(reverse("catalogue:index")))
    card_url = offers["town_card"].get_absolute_url()
    assert re.search(r'<a [^>]*href="%s"[^>]*>Choisir le montant</a>' % re.escape(card_url), page)
    assert f'action="{reverse("basket:add", kwargs={"pk": offers["town_card"].pk})}"' not in page
    # an ordinary product keeps its button
    assert f'action="{reverse("basket:add", kwargs={"pk": town["comte"].pk})}"' in page


def test_the_home_page_and_search_lead_to_the_form_too(client, offers):
    for url in ("/", reverse("catalogue:index") + "?q=carte"):
        page = text_of(client.get(url))
        assert "Choisir le montant" in page, url
        assert f'action="{reverse("basket:add", kwargs={"pk": offers["shop_card"].pk})}"' not in page, url


@pytest.mark.parametrize("which", ["town_card", "shop_card", "voucher"])
def test_the_ordinary_add_to_basket_refuses_a_gift_card_without_its_choices(client, offers, which):
    product = offers[which]
    response = add_to_basket(client, product)
    assert response.status_code == 302
    assert not Basket.objects.filter(lines__isnull=False).exists()
    followed = client.get(response["Location"])
    assert any("sur sa page" in message and "destinataire" in message for message in page_messages(followed))


def test_options_forged_into_the_ordinary_form_are_refused_too(client, offers):
    response = client.post(reverse("basket:add", kwargs={"pk": offers["town_card"].pk}),
                           {"quantity": 1, "carte_montant": "30", "carte_destinataire": "Paul Ami"})
    assert response.status_code == 302
    assert not Basket.objects.filter(lines__isnull=False).exists()


def test_basket_and_checkout_lines_read_like_a_sentence(client, offers):
    buy_card(client, offers["town_card"], amount_choice="autre", other_amount="30", recipient_name="Paul Ami")
    buy_card(client, offers["voucher"], recipient_name="Léa Martin")
    day = timezone.localdate()
    expected = f"Carte cadeau de 30,00 € pour Paul Ami, envoyée le {french_day(day)}"
    voucher = f"Bon pour « Plateau dégustation » pour Léa Martin, envoyé le {french_day(day)}"
    for url in (reverse("basket:summary"), reverse("checkout:index")):
        page = text_of(client.get(url))
        assert expected in page, url
        assert voucher in page, url
        assert "Montant de la carte =" not in page and "'35.00'" not in page and "'30'" not in page, url


def test_the_order_line_reads_the_same(client, offers):
    from tests.integration.helpers import checkout_data

    buy_card(client, offers["town_card"], amount_choice="50", recipient_name="Paul Ami")
    client.post(reverse("checkout:index"), checkout_data(client))
    line = get_model("order", "Line").objects.get()
    assert line.description.replace("\xa0", " ").startswith("Carte cadeau de 50,00 € pour Paul Ami, envoyée le ")


@pytest.mark.parametrize("day, text", [
    (datetime.date(2026, 12, 1), "1er décembre"),
    (datetime.date(2026, 12, 24), "24 décembre"),
    (datetime.date(2027, 1, 3), "3 janvier 2027"),
])
def test_sending_days_in_french(day, text):
    assert french_day(day, today=datetime.date(2026, 11, 30)) == text


def test_a_gift_card_page_shows_a_starting_price_not_the_stock_record(client, offers):
    page = text_of(client.get(offers["town_card"].get_absolute_url()))
    assert "À partir de 10,00 €" in page
    assert "50,00 € TTC" not in page  # the stock record's price, meaningless here
    shop_card = text_of(client.get(offers["shop_card"].get_absolute_url()))
    assert "À partir de 10,00 €" in shop_card and "20,00 € TTC" not in shop_card


def test_a_listing_shows_the_starting_price_of_a_card(client, offers):
    page = text_of(client.get(reverse("catalogue:index") + "?q=ville"))
    assert "À partir de 10,00 €" in page


def test_listings_of_gift_cards_cost_no_query_per_card(client, offers, django_assert_max_num_queries, settings):
    from tests.integration.test_query_counts import count_queries

    settings.PAGE_CACHE_SECONDS = 0  # the rendering's queries, not the page cache's (townmarket.page_cache)

    few, _ = count_queries(client, reverse("catalogue:index"))
    partner = offers["association"]
    from decimal import Decimal

    from plugins.gift_cards.demo import create_offer
    from plugins.gift_cards.models import Kind
    for n in range(5):
        create_offer(partner, f"Carte cadeau n° {n}", "<p>Carte</p>", Decimal("20.00"), kind=Kind.TOWN,
                     preset_amounts="20 50")
    many, _ = count_queries(client, reverse("catalogue:index"))
    assert many == few


def test_services_alone_are_not_offered_delivery_or_pickup(client, town, offers):
    """A massage is not collected nor delivered: the shop part of services says where it happens."""
    from tests.integration.helpers import checkout_data  # noqa: F401

    service_class = get_model("catalogue", "ProductClass").objects.create(
        name="Prestation", slug="prestation", requires_shipping=False, track_stock=False)
    tasting = offers["tasting"]
    tasting.product_class = service_class
    tasting.save()
    add_to_basket(client, tasting)
    page = client.get(reverse("checkout:index"))
    (group,) = page.context["shop_groups"]
    codes = [option.code for option in group.options]
    assert "click_collect" not in codes and not any("livraison" in code or "postal" in code for code in codes)
    assert codes == ["sur_place"]
    assert not any(option.needs_delivery_address for option in group.options)

    add_to_basket(client, town["comte"])  # with a cheese: the cheese is collected or delivered
    page = client.get(reverse("checkout:index"))
    (group,) = page.context["shop_groups"]
    assert "click_collect" in [option.code for option in group.options]



def test_the_storefront_script_gets_the_refusal_too(client, offers):
    """The add-to-basket answered in JSON (no page reload) says the same."""
    response = client.post(reverse("basket:add", kwargs={"pk": offers["town_card"].pk}), {"quantity": 1},
                           HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert "choisissez le montant et le destinataire sur sa page" in response.json()["message"]
    assert not Basket.objects.filter(lines__isnull=False).exists()
