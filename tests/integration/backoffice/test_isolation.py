"""Isolation is the point: Bob, who runs the bookshop, can neither see nor change
anything of Alice's cheese shop, whatever URL he types or forges."""
import pytest
from django.core.files.images import ImageFile
from django.urls import reverse
from oscar.core.loading import get_model
from wagtail.images.models import Image

from backoffice import roles
from tests.integration.helpers import place_order
from tests.support.images import photo

pytestmark = pytest.mark.django_db
ShopOrder = get_model("order", "ShopOrder")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
ProductImage = get_model("catalogue", "ProductImage")


@pytest.fixture
def alices(client, town, team):
    """Alice's shop with an order, a product picture and a vitrine picture."""
    order = place_order(client, [(town["comte"], 1), (town["novel"], 1)])
    client.logout()
    ProductImage.objects.create(product=town["comte"], original=photo("comte.jpg"), caption="Comté")
    upload = photo("vitrine.jpg")
    image = Image.objects.create(title="Devanture", file=ImageFile(upload, name="vitrine.jpg"),
                                 collection=roles.shop_collection(town["cheese"].partner))
    return {
        "order": order,
        "part": ShopOrder.objects.get(order=order, partner=town["cheese"].partner),
        "product": town["comte"],
        "page": town["cheese"],
        "image": image,
    }


def object_urls(a):
    product, part = a["product"].pk, a["part"].pk
    return [
        ("get", reverse("backoffice_product_edit", args=[product])),
        ("post", reverse("backoffice_product_edit", args=[product])),
        ("get", reverse("backoffice_product_delete", args=[product])),
        ("post", reverse("backoffice_product_delete", args=[product])),
        ("post", reverse("backoffice_product_quick", args=[product])),
        ("get", reverse("backoffice_order", args=[part])),
        ("post", reverse("backoffice_order_status", args=[part])),
        ("get", reverse("backoffice_order_slip", args=[part])),
    ]


def test_every_object_url_of_alices_shop_is_not_found_for_bob(client, team, alices):
    client.force_login(team["bob"])
    for method, url in object_urls(alices):
        data = {"status": "annulee", f"p{alices['product'].pk}-price": "1", f"p{alices['product'].pk}-stock": "0",
                "title": "Piraté", "price": "1", "stock": "0"}
        response = getattr(client, method)(url, data) if method == "post" else client.get(url)
        assert response.status_code == 404, (method, url, response.status_code)
    record = StockRecord.objects.get(product=alices["product"])
    assert (record.price, record.num_in_stock) == (alices["product"].stockrecords.get().price, 5)
    assert Product.objects.get(pk=alices["product"].pk).title == "Comté 18 mois"
    assert ShopOrder.objects.get(pk=alices["part"].pk).status == "nouvelle"


def test_guessing_ids_next_to_his_own_finds_nothing_of_alices(client, town, team, alices):
    client.force_login(team["bob"])
    bobs_part = ShopOrder.objects.get(order=alices["order"], partner=town["books"].partner)
    assert client.get(reverse("backoffice_order", args=[bobs_part.pk])).status_code == 200
    # ids around his own (sequences are not reset between tests on PostgreSQL)
    for guess in range(max(bobs_part.pk - 5, 1), bobs_part.pk + 6):
        if guess != bobs_part.pk:
            assert client.get(reverse("backoffice_order", args=[guess])).status_code == 404
    for guess in range(max(town["novel"].pk - 5, 1), town["novel"].pk + 6):
        if guess != town["novel"].pk:
            assert client.get(reverse("backoffice_product_edit", args=[guess])).status_code == 404
    assert alices["part"].pk in range(bobs_part.pk - 5, bobs_part.pk + 6)
    assert alices["product"].pk in range(town["novel"].pk - 5, town["novel"].pk + 6)


def test_lists_and_filters_never_show_alices_products_orders_or_customers(client, town, team, alices):
    client.force_login(team["bob"])
    alice_partner = town["cheese"].partner.pk
    products = client.get(reverse("backoffice_products"), {"boutique": alice_partner}).content.decode()
    assert "Comté" not in products and "Époisses" not in products
    orders = client.get(reverse("backoffice_orders"), {"boutique": alice_partner})
    assert {so.partner_id for so in orders.context["page"]} <= {town["books"].partner.pk}
    sales = client.get(reverse("backoffice_sales"), {"boutique": alice_partner}).content.decode()
    assert "Comté" not in sales and "Fromagerie Test" not in sales


def test_the_csv_export_holds_only_bobs_part_of_the_orders(client, town, team, alices):
    client.force_login(team["bob"])
    response = client.get(reverse("backoffice_orders_export"), {"boutique": town["cheese"].partner.pk})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Fromagerie Test" not in content
    assert content.count("\n") == 2 and "Librairie Test" in content  # the header and his one part
    client.force_login(team["alice"])
    export = client.get(reverse("backoffice_orders_export"), {"donnees_personnelles": "on"})
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Librairie Test" not in content and "Fromagerie Test" in content and "Hélène Jourdan" in content


def test_bob_cannot_import_into_alices_shop(client, town, team, alices):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(team["bob"])
    csv = "reference;nom;categorie;prix_ttc;stock\nX1;Piraté;Fromages;1;1\n".encode()
    response = client.post(reverse("backoffice_import"), {"shop": town["cheese"].partner.pk,
                                                         "file": SimpleUploadedFile("p.csv", csv)})
    # His only shop is fixed in the form: the forged shop is ignored, the file goes to his own shop.
    assert response.context["partner"] == town["books"].partner
    assert not Product.objects.filter(title="Piraté").exists()

    client.force_login(team["alice"])  # a token made for Alice's import is useless to Bob
    response = client.post(reverse("backoffice_import"), {"shop": town["cheese"].partner.pk,
                                                         "file": SimpleUploadedFile("p.csv", csv)})
    token = response.context["token"]
    client.force_login(team["bob"])
    assert client.post(reverse("backoffice_import_run"), {"token": token}).status_code == 404
    assert client.post(reverse("backoffice_import_run"), {"token": token + "x"}).status_code == 404
    assert not Product.objects.filter(title="Piraté").exists()


def test_wagtail_refuses_bob_alices_vitrine_and_pictures(client, town, team, alices):
    client.force_login(team["bob"])
    page = alices["page"]
    for url in [reverse("wagtailadmin_pages:edit", args=[page.pk]),
                reverse("wagtailimages:edit", args=[alices["image"].pk]),
                reverse("wagtailimages:delete", args=[alices["image"].pk])]:
        response = client.post(url, {"title": "Piraté"})
        # Wagtail answers a refused permission by sending back to the dashboard with a message.
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home"), url
    page.refresh_from_db()
    assert page.title == "Fromagerie Test"
    assert Image.objects.get(pk=alices["image"].pk).title == "Devanture"
    chooser = client.get(reverse("wagtailimages_chooser:choose")).content.decode()
    assert "Devanture" not in chooser
    # while Alice edits both
    client.force_login(team["alice"])
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    assert client.get(reverse("wagtailimages:edit", args=[alices["image"].pk])).status_code == 200


def test_merchants_never_reach_customers_settings_or_applications(client, team, alices):
    client.force_login(team["bob"])
    for url in [reverse("backoffice_applications"), "/admin/users/", "/admin/sites/", "/admin/groups/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home"), url
    for url in ["/boutique/dashboard/users/", "/boutique/dashboard/orders/"]:  # Oscar's dashboard is staff only
        assert client.get(url).status_code == 403, url
    response = client.get("/django-admin/order/order/")
    assert response.status_code == 302 and "login" in response["Location"]
