"""Merchants manage their products in the back office: list, quick edits, the full
form with pictures, deletion, and every kind of bad input."""
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model
from PIL import Image

from tests import factories
from tests.support.images import photo

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")


DESCRIPTION = json.dumps({"blocks": [{"key": "a1b2c", "text": "Une tomme fermière.", "type": "unstyled", "depth": 0,
                                      "inlineStyleRanges": [{"offset": 4, "length": 5, "style": "BOLD"}],
                                      "entityRanges": []}], "entityMap": {}})


def product_data(**overrides):
    data = {
        "title": "Tomme de Savoie", "description": DESCRIPTION, "category": factories.category("Fromages").pk,
        "price": "15,90", "vat_rate": "5.5", "stock": "7", "sku": "", "is_public": "on",
        "images-TOTAL_FORMS": "2", "images-INITIAL_FORMS": "0", "images-MIN_NUM_FORMS": "0", "images-MAX_NUM_FORMS": "8",
    }
    data.update(overrides)
    return data


@pytest.fixture
def alice_client(client, team):
    client.force_login(team["alice"])
    return client


class TestProductList:
    def test_a_merchant_sees_only_their_shops_products(self, alice_client, town):
        body = alice_client.get(reverse("backoffice_products")).content.decode()
        assert "Comté 18 mois" in body and "Époisses" in body
        assert "Roman policier" not in body

    def test_search_ignores_accents_and_finds_by_reference(self, alice_client, town):
        response = alice_client.get(reverse("backoffice_products"), {"q": "epoisses"})
        assert [row["product"].title for row in response.context["rows"]] == ["Époisses"]
        sku = town["comte"].stockrecords.get().partner_sku
        response = alice_client.get(reverse("backoffice_products"), {"q": sku})
        assert [row["product"].title for row in response.context["rows"]] == ["Comté 18 mois"]

    def test_filters_by_availability(self, alice_client, town):
        StockRecord.objects.filter(product=town["comte"]).update(num_in_stock=0)
        sold_out = alice_client.get(reverse("backoffice_products"), {"dispo": "epuise"}).context["rows"]
        assert [row["product"].title for row in sold_out] == ["Comté 18 mois"]
        in_stock = alice_client.get(reverse("backoffice_products"), {"dispo": "en_stock"}).context["rows"]
        assert [row["product"].title for row in in_stock] == ["Époisses"]

    def test_an_empty_shop_is_invited_to_add_or_import(self, client, town):
        empty = factories.shop("Fleuriste Vide", kind="Fleuriste", is_food=False)
        client.force_login(factories.merchant(empty, "flora"))
        body = client.get(reverse("backoffice_products")).content.decode()
        assert "Vous n'avez encore aucun produit en ligne." in body
        assert reverse("backoffice_import") in body

    def test_pages_beyond_the_last_are_not_found(self, alice_client, town):
        assert alice_client.get(reverse("backoffice_products"), {"p": "9"}).status_code == 404
        assert alice_client.get(reverse("backoffice_products"), {"p": "abc"}).status_code == 404


class TestQuickEdit:
    def url(self, product):
        return reverse("backoffice_product_quick", args=[product.pk])

    def test_price_and_stock_change_from_the_list(self, alice_client, town):
        comte = town["comte"]
        response = alice_client.post(self.url(comte), {f"p{comte.pk}-price": "13,20", f"p{comte.pk}-stock": "9"}, follow=True)
        record = StockRecord.objects.get(product=comte)
        assert record.price == Decimal("13.20") and record.num_in_stock == 9
        assert "prix et stock enregistrés" in response.content.decode()

    def test_stock_entered_is_what_remains_to_sell_after_pending_orders(self, alice_client, town):
        comte = town["comte"]
        StockRecord.objects.filter(product=comte).update(num_allocated=2)
        alice_client.post(self.url(comte), {f"p{comte.pk}-price": "12,40", f"p{comte.pk}-stock": "3"})
        record = StockRecord.objects.get(product=comte)
        assert (record.num_in_stock, record.num_allocated) == (5, 2)

    @pytest.mark.parametrize("price, stock, message", [
        ("abc", "3", "Indiquez un prix en euros"),
        ("-2", "3", "Le prix doit être d&#x27;au moins 0,01 €."),
        ("12,345", "3", "deux chiffres après la virgule"),
        ("12", "-1", "Le stock ne peut pas être négatif."),
        ("12", "1.5", "nombre entier"),
    ])
    def test_bad_values_are_refused_with_a_french_message_and_nothing_changes(self, alice_client, town, price, stock, message):
        comte = town["comte"]
        response = alice_client.post(self.url(comte), {f"p{comte.pk}-price": price, f"p{comte.pk}-stock": stock}, follow=True)
        assert message in response.content.decode()
        record = StockRecord.objects.get(product=comte)
        assert (record.price, record.num_in_stock) == (Decimal("12.40"), 5)


class TestProductForm:
    def test_create_with_two_pictures_and_alt_text(self, alice_client, town):
        data = product_data(**{
            "images-0-original": photo("face.jpg"), "images-0-caption": "La tomme entière", "images-0-display_order": "2",
            "images-1-original": photo("coupe.png", image_format="PNG"), "images-1-caption": "Une part", "images-1-display_order": "1",
        })
        response = alice_client.post(reverse("backoffice_product_add"), data)
        assert response.status_code == 302
        product = Product.objects.get(title="Tomme de Savoie")
        record = product.stockrecords.get()
        assert record.partner == town["cheese"].partner
        assert (record.price, record.vat_rate, record.num_in_stock) == (Decimal("15.90"), "5.5", 7)
        assert record.partner_sku == f"P{product.pk}"
        assert [c.name for c in product.categories.all()] == ["Fromages"]
        assert [(i.caption, i.display_order) for i in product.images.order_by("display_order")] == [
            ("Une part", 1), ("La tomme entière", 2)]
        storefront = alice_client.get(product.get_absolute_url()).content.decode()
        assert "15,90\u00a0€" in storefront and 'alt="Une part"' in storefront
        assert "Une <b>tomme</b> fermière." in storefront

    def test_phone_photos_are_turned_upright_scaled_down_and_stripped_of_exif(self, alice_client, town, settings):
        settings.TOWNMARKET_IMAGE_MAX_SIDE = 800
        upload = photo("portrait.jpg", size=(2000, 1000), exif_orientation=6)  # taken holding the phone upright
        alice_client.post(reverse("backoffice_product_add"), product_data(**{"images-0-original": upload}))
        stored = ProductImage.objects.get()
        with Image.open(stored.original.path) as image:
            assert image.size == (400, 800)
            assert not image.getexif()

    def test_edit_keeps_the_shop_and_updates_category_price_and_pictures(self, alice_client, town):
        comte = town["comte"]
        factories.category("Crèmerie")
        url = reverse("backoffice_product_edit", args=[comte.pk])
        form = alice_client.get(url).context["form"]
        assert form.initial["price"] == Decimal("12.40") and form.initial["stock"] == 5
        data = product_data(title="Comté 24 mois", category=factories.category("Crèmerie").pk, price="18,00",
                            stock="4", sku="COMTE24", shop=town["books"].partner.pk)
        assert alice_client.post(url, data).status_code == 302
        comte.refresh_from_db()
        record = comte.stockrecords.get()
        assert comte.title == "Comté 24 mois"
        assert record.partner == town["cheese"].partner  # the shop field cannot be forged
        assert (record.price, record.partner_sku) == (Decimal("18.00"), "COMTE24")
        assert [c.name for c in comte.categories.all()] == ["Crèmerie"]

    def test_an_unpublished_product_leaves_the_storefront(self, alice_client, town):
        comte = town["comte"]
        data = product_data(title=comte.title, price="12,40", stock="5")
        del data["is_public"]
        alice_client.post(reverse("backoffice_product_edit", args=[comte.pk]), data)
        assert alice_client.get(comte.get_absolute_url()).status_code == 404

    @pytest.mark.parametrize("overrides, message", [
        ({"price": "douze"}, "Indiquez un prix en euros, par exemple 12,50."),
        ({"price": "0"}, "Le prix doit être d&#x27;au moins 0,01 €."),
        ({"price": "100000"}, "99 999,99 €"),
        ({"stock": "-3"}, "Le stock ne peut pas être négatif."),
        ({"vat_rate": "19.6"}, "Choisissez un taux de TVA : 20 %, 10 %, 5,5 % ou 2,1 %."),
        ({"title": ""}, "Donnez un nom au produit."),
        ({"category": "999999"}, "Cette catégorie n&#x27;existe pas."),
        ({"description": "<script>alert(1)</script>"}, "La description n&#x27;a pas pu être lue"),
    ])
    def test_bad_input_is_explained_in_french_and_nothing_is_saved(self, alice_client, town, overrides, message):
        before = Product.objects.count()
        response = alice_client.post(reverse("backoffice_product_add"), product_data(**overrides))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert "Le produit n&#x27;a pas été enregistré" in response.content.decode()
        assert Product.objects.count() == before

    def test_a_non_image_or_oversized_upload_is_refused_and_the_product_not_created(self, alice_client, town, settings):
        from django.core.files.uploadedfile import SimpleUploadedFile

        fake = SimpleUploadedFile("facture.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
        response = alice_client.post(reverse("backoffice_product_add"), product_data(**{"images-0-original": fake}))
        assert "pas une image" in response.content.decode() or "image valide" in response.content.decode()
        settings.TOWNMARKET_MAX_IMAGE_BYTES = 1000
        response = alice_client.post(reverse("backoffice_product_add"), product_data(**{"images-0-original": photo(size=(300, 300))}))
        assert "le maximum est 1000" in response.content.decode()
        assert not Product.objects.filter(title="Tomme de Savoie").exists()
        assert not ProductImage.objects.exists()

    def test_a_reference_already_used_in_the_shop_is_refused(self, alice_client, town):
        sku = town["comte"].stockrecords.get().partner_sku
        response = alice_client.post(reverse("backoffice_product_add"), product_data(sku=sku))
        assert f"Un autre produit de ce commerce a déjà la référence « {sku} »" in response.content.decode()

    def test_delete_asks_then_removes_the_product(self, alice_client, town):
        url = reverse("backoffice_product_delete", args=[town["epoisses"].pk])
        assert "Voulez-vous vraiment supprimer « Époisses »" in alice_client.get(url).content.decode()
        alice_client.post(url)
        assert not Product.objects.filter(pk=town["epoisses"].pk).exists()


class TestVolunteers:
    def test_a_volunteer_types_in_a_product_for_any_shop(self, client, town, team):
        client.force_login(team["volunteer"])
        response = client.post(reverse("backoffice_product_add"), product_data(shop=town["books"].partner.pk, title="Atlas"))
        assert response.status_code == 302
        assert Product.objects.get(title="Atlas").stockrecords.get().partner == town["books"].partner

    def test_a_merchant_cannot_create_a_product_in_another_shop(self, alice_client, town):
        response = alice_client.post(reverse("backoffice_product_add"), product_data(shop=town["books"].partner.pk))
        # Alice has one shop: the field is fixed to it; a forged value is refused.
        assert not Product.objects.filter(title="Tomme de Savoie", stockrecords__partner=town["books"].partner).exists()
        assert response.status_code in (200, 302)
