"""« Cartes cadeaux et bons » in the back office: a merchant creates, edits and
takes off sale their own shop's card and service vouchers; the association manages
every shop's offers and the town card; another shop's offer is a 404."""
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from plugins.gift_cards.models import GiftCardOffer, Kind
from tests import factories

from .conftest import buy_card, page_text

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
LIST = "/admin/cartes-cadeaux/offres/"
ADD = "/admin/cartes-cadeaux/offres/ajouter/"


def service(shop_page, title, price):
    """A service (product class « Prestation »), as the demo defines them."""
    product = factories.product(shop_page, title=title, price=price, vat_rate="20.0")
    product.product_class = ProductClass.objects.get_or_create(
        slug="prestation", defaults={"name": "Prestation", "requires_shipping": False, "track_stock": False})[0]
    product.save()
    return product


def voucher_form(partner, massage, **overrides):
    data = {"kind": Kind.SERVICE, "partner": partner.pk, "title": "Bon pour un massage 1 h",
            "description": "Sur rendez-vous.", "service": massage.pk, "preset_amounts": "", "min_amount": "",
            "max_amount": "", "validity_months": "6", "is_active": "on"}
    data.update(overrides)
    return data


def card_form(partner, **overrides):
    data = {"kind": Kind.SHOP, "partner": partner.pk, "title": "Carte cadeau Fromagerie", "description": "",
            "service": "", "preset_amounts": "20, 30, 50", "min_amount": "15", "max_amount": "150",
            "validity_months": "", "is_active": "on"}
    data.update(overrides)
    return data


@pytest.fixture
def massage(town):
    return service(town["cheese"], "Massage relaxant 1 h", "65.00")


def test_a_merchant_creates_a_voucher_for_their_massage_and_it_is_sold_on_the_storefront(client, team, town, massage):
    client.force_login(team["alice"])
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, voucher_form(town["cheese"].partner, massage), follow=True)
    assert response.status_code == 200
    offer = GiftCardOffer.objects.get()
    assert (offer.kind, offer.service, offer.validity_months) == (Kind.SERVICE, massage, 6)
    assert "Bon pour un massage 1 h" in page_text(client.get(LIST))

    product_page = page_text(client.get(offer.product.get_absolute_url()))
    assert "Offrir cette carte" in product_page and "65,00 €" in product_page
    assert "Prénom et nom du destinataire" in product_page
    response = buy_card(client, offer.product)
    assert response.status_code == 302
    assert "Bon pour un massage 1 h" in page_text(client.get(reverse("basket:summary")))


def test_a_shop_card_with_french_amounts(client, team, town):
    client.force_login(team["alice"])
    client.post(ADD, card_form(town["cheese"].partner, preset_amounts="20, 25,50 ; 50", min_amount="10,50"))
    offer = GiftCardOffer.objects.get()
    assert offer.presets == [Decimal("20.00"), Decimal("25.50"), Decimal("50.00")]
    assert (offer.min_amount, offer.max_amount) == (Decimal("10.50"), Decimal("150"))
    assert offer.product.stockrecords.get().partner == town["cheese"].partner
    assert "25,50 €" in page_text(client.get(offer.product.get_absolute_url()))


def test_another_merchant_gets_404_on_the_offer(client, team, town, massage):
    client.force_login(team["alice"])
    client.post(ADD, voucher_form(town["cheese"].partner, massage), follow=True)  # shows « … est créée »
    offer = GiftCardOffer.objects.get()
    client.force_login(team["bob"])
    edit = reverse("gift_cards_offer_edit", args=[offer.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, voucher_form(town["cheese"].partner, massage, title="Volé")).status_code == 404
    assert client.post(reverse("gift_cards_offer_deactivate", args=[offer.pk])).status_code == 404
    assert "Bon pour un massage 1 h" not in page_text(client.get(LIST))
    offer.product.refresh_from_db()
    assert offer.product.title == "Bon pour un massage 1 h" and offer.product.is_public


def test_a_forged_partner_or_service_of_another_shop_is_refused(client, team, town, massage):
    client.force_login(team["bob"])
    response = client.post(ADD, card_form(town["cheese"].partner))
    assert response.status_code == 400 and "Choisissez l&#x27;un de vos commerces." in page_text(response)
    response = client.post(ADD, voucher_form(town["books"].partner, massage))
    assert response.status_code == 400 and "Choisissez une prestation de votre commerce." in page_text(response)
    assert not GiftCardOffer.objects.exists()
    assert not Product.objects.filter(title__startswith="Carte cadeau").exists()


def test_the_association_forges_nothing_either_a_voucher_needs_the_shops_own_service(client, team, town, massage):
    client.force_login(team["staff"])
    response = client.post(ADD, voucher_form(town["books"].partner, massage))
    assert response.status_code == 400
    assert "La prestation doit être vendue par le commerce choisi." in page_text(response)
    assert not GiftCardOffer.objects.exists()


@pytest.mark.parametrize("overrides, message", [
    ({"preset_amounts": "vingt"}, "Écrivez des montants en euros séparés par des virgules, par exemple : 20, 30, 50."),
    ({"preset_amounts": "20, -5"}, "Écrivez des montants en euros séparés par des virgules, par exemple : 20, 30, 50."),
    ({"min_amount": "100", "max_amount": "50"}, "Le maximum doit être supérieur au minimum."),
    ({"min_amount": "30"}, "Les montants proposés doivent être entre 30,00 € et 150,00 €."),
    ({"max_amount": ""}, "Indiquez le minimum et le maximum du montant libre, ou aucun des deux."),
    ({"min_amount": "dix"}, "Écrivez un montant en euros, par exemple 20 ou 25,50."),
    ({"validity_months": "0"}, "La validité va de 1 à 60 mois."),
    ({"validity_months": "61"}, "La validité va de 1 à 60 mois."),
    ({"title": ""}, "Donnez un nom à cette offre."),
    ({"preset_amounts": "", "min_amount": "", "max_amount": ""}, "Proposez au moins un montant ou un montant libre."),
    ({"kind": "ville"}, "Seule l&#x27;association vend la carte de la ville."),
])
def test_bad_inputs_are_explained_in_french_and_nothing_is_saved(client, team, town, overrides, message):
    client.force_login(team["alice"])
    response = client.post(ADD, card_form(town["cheese"].partner, **overrides))
    assert response.status_code == 400 and message in page_text(response)
    assert not GiftCardOffer.objects.exists() and not Product.objects.filter(title__startswith="Carte").exists()


def test_a_voucher_without_its_service_is_refused(client, team, town, massage):
    client.force_login(team["alice"])
    response = client.post(ADD, voucher_form(town["cheese"].partner, massage, service=""))
    assert response.status_code == 400 and "Choisissez la prestation offerte par ce bon." in page_text(response)
    response = client.post(ADD, voucher_form(town["cheese"].partner, town["comte"]))  # not a service
    assert response.status_code == 400 and "Choisissez une prestation de votre commerce." in page_text(response)
    assert not GiftCardOffer.objects.exists()


def test_edit_and_deactivate(client, team, town):
    client.force_login(team["alice"])
    client.post(ADD, card_form(town["cheese"].partner))
    offer = GiftCardOffer.objects.get()
    edit = reverse("gift_cards_offer_edit", args=[offer.pk])
    assert "Carte cadeau Fromagerie" in page_text(client.get(edit))
    response = client.post(edit, card_form(town["cheese"].partner, title="Carte de la Fromagerie",
                                           preset_amounts="40", validity_months="24"))
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.product.title, offer.presets, offer.validity_months) == ("Carte de la Fromagerie", [Decimal("40.00")], 24)

    client.post(reverse("gift_cards_offer_deactivate", args=[offer.pk]))
    offer.product.refresh_from_db()
    assert not offer.product.is_public
    assert client.get(offer.product.get_absolute_url()).status_code == 404
    assert buy_card(client, offer.product, amount_choice="40").status_code == 404
    assert "Retirée de la vente" in page_text(client.get(LIST))


def test_the_association_sees_every_shop_and_makes_the_town_card(client, team, town, massage):
    client.force_login(team["alice"])
    client.post(ADD, voucher_form(town["cheese"].partner, massage))
    client.force_login(team["bob"])
    client.post(ADD, card_form(town["books"].partner, title="Carte cadeau Librairie"))
    client.force_login(team["staff"])
    response = client.post(ADD, {**card_form(town["cheese"].partner, kind=Kind.TOWN,
                                             title="Carte cadeau de Val-sur-Ouche"), "partner": ""})
    assert response.status_code == 302
    town_card = GiftCardOffer.objects.get(kind=Kind.TOWN)
    assert town_card.product.stockrecords.get().partner.code == "carte-ville"
    listing = page_text(client.get(LIST))
    for title in ("Bon pour un massage 1 h", "Carte cadeau Librairie", "Carte cadeau de Val-sur-Ouche"):
        assert title in listing
    offer = GiftCardOffer.objects.get(product__title="Carte cadeau Librairie")
    assert client.get(reverse("gift_cards_offer_edit", args=[offer.pk])).status_code == 200
    client.force_login(team["alice"])
    assert client.get(reverse("gift_cards_offer_edit", args=[town_card.pk])).status_code == 404


def test_a_customer_is_refused_the_offers(client, town):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("claire", "claire@example.org", "pw-cliente-2026"))
    for url in (LIST, ADD):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_association_edits_the_town_card(client, team, town):
    client.force_login(team["staff"])
    client.post(ADD, {**card_form(town["cheese"].partner, kind=Kind.TOWN, title="Carte de la ville"), "partner": ""})
    offer = GiftCardOffer.objects.get()
    edit = reverse("gift_cards_offer_edit", args=[offer.pk])
    response = client.post(edit, {**card_form(town["books"].partner, kind=Kind.SHOP, title="Carte de Val-sur-Ouche",
                                              preset_amounts="20, 50, 100", max_amount="300")})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.kind, offer.product.title, offer.max_amount) == (Kind.TOWN, "Carte de Val-sur-Ouche", Decimal("300"))
    assert offer.product.stockrecords.get().partner.code == "carte-ville"  # kind and seller stay


def test_a_description_is_shown_as_typed_never_as_markup(client, team, town):
    client.force_login(team["alice"])
    client.post(ADD, card_form(town["cheese"].partner, description="<b>Offrez</b> du fromage\nToute l'année"))
    offer = GiftCardOffer.objects.get()
    page = page_text(client.get(offer.product.get_absolute_url()))
    assert "&lt;b&gt;Offrez&lt;/b&gt; du fromage" in page and "<b>Offrez</b>" not in page


@pytest.mark.parametrize("who", ["alice", "staff"])
def test_hostile_values_in_every_field_never_make_a_server_error(team, town, massage, who):
    from tests.integration.security.test_fuzz import hostile_client, server_errors

    client = hostile_client(team[who])
    base = voucher_form(town["cheese"].partner, massage)
    assert server_errors(client, "post", ADD, list(base), base) == []
    for fields in (["kind", "partner", "service"], ["preset_amounts", "min_amount", "max_amount", "validity_months"]):
        assert server_errors(client, "post", ADD, fields, card_form(town["cheese"].partner)) == []
    assert server_errors(client, "get", LIST, ["p"]) == []
    assert not GiftCardOffer.objects.exists()
