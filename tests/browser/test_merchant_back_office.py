"""A merchant on a phone: logs in, edits the vitrine, adds a product with a photo,
finds it on the storefront, and gets an order ready."""
import pytest
from django.core import mail
from playwright.sync_api import expect
from django.test import Client
from oscar.core.loading import get_model

from tests import factories
from tests.integration.helpers import place_order
from tests.support.images import photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ShopOrder = get_model("order", "ShopOrder")
Product = get_model("catalogue", "Product")


def test_merchant_edits_vitrine_adds_product_and_readies_an_order(live_server, page, tmp_path):
    factories.build_site()
    shop = factories.shop("Fromagerie du Pont", kind="Fromagerie")
    factories.category("Fromages")
    comte = factories.product(shop, title="Comté 24 mois", price="14.20", stock=4)
    factories.merchant(shop, "fabienne", password="tomme-et-comte-21")
    order = place_order(Client(), [(comte, 1)])
    mail.outbox.clear()

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("fabienne")
    page.get_by_label("Mot de passe").fill("tomme-et-comte-21")
    page.get_by_role("button", name="S'identifier").click()

    # the vitrine
    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Modifier ma vitrine").click()
    page.get_by_role("textbox", name="Présentation courte").fill("Fromages affinés dans nos caves depuis 1952.")
    page.locator("[data-w-dropdown-target='toggle']").last.click() if not page.locator("button[name=action-publish]").is_visible() else None
    page.locator("button[name=action-publish]").click()
    page.wait_for_load_state()
    assert "Fromages affinés dans nos caves" in page.context.request.get(live_server.url + shop.url).text()

    # a new product with a photo
    picture = tmp_path / "tomme.jpg"
    picture.write_bytes(photo("tomme.jpg").read())
    page.goto(live_server.url + "/admin/commerce/produits/")
    page.get_by_role("link", name="Ajouter un produit").click()
    page.get_by_label("Nom du produit").fill("Tomme du Jura")
    page.get_by_label("Catégorie").select_option(label="Fromages")
    page.get_by_label("Prix TTC (€)").fill("16,50")
    page.get_by_label("Taux de TVA").select_option("5.5")
    page.get_by_label("Stock disponible").fill("6")
    page.get_by_label("Photo").first.set_input_files(str(picture))
    page.get_by_label("Texte alternatif (décrit la photo)").first.fill("Une tomme du Jura entière")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Produit « Tomme du Jura » ajouté.")).to_be_visible()

    product = Product.objects.get(title="Tomme du Jura")
    page.goto(live_server.url + product.get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text() == "Tomme du Jura"
    assert page.get_by_text("16,50").first.is_visible()
    assert page.get_by_alt_text("Une tomme du Jura entière").is_visible()

    # the order
    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="1 nouvelle commande").click()
    page.get_by_role("link", name=order.number).click()
    call = page.locator('a[href="tel:+33612345678"]').first
    expect(call).to_be_visible()
    assert "Appeler le 06" in call.inner_text()
    page.get_by_role("button", name="Je la prépare").click()
    page.get_by_role("button", name="Elle est prête (le client est prévenu)").click()
    expect(page.get_by_text(f"Commande {order.number} : Prête.")).to_be_visible()
    assert ShopOrder.objects.get(order=order).status == "prete"
    assert any("sont prêts" in message.subject for message in mail.outbox)


def test_cancelling_an_order_asks_first(live_server, page):
    factories.build_site()
    shop = factories.shop("Épicerie du Pont")
    honey = factories.product(shop, title="Miel", price="8.00", stock=4)
    factories.merchant(shop, "ines", password="miel-et-pain-21")
    order = place_order(Client(), [(honey, 1)])
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("ines")
    page.get_by_label("Mot de passe").fill("miel-et-pain-21")
    page.get_by_role("button", name="S'identifier").click()
    page.goto(live_server.url + f"/admin/commerce/commandes/{ShopOrder.objects.get(order=order).pk}/")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Annuler (le client est prévenu)").click()
    assert questions == ["Annuler cette commande ? Le client sera prévenu par e-mail."]
    assert ShopOrder.objects.get(order=order).status == "nouvelle"
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Annuler (le client est prévenu)").click()
    expect(page.get_by_text(f"Commande {order.number} : Annulée.")).to_be_visible()


def association_signed_in(live_server, page):
    """Lara, of the association, signed in to the back office on the phone."""
    from backoffice import roles

    staff = factories.role_user(roles.ASSOCIATION, "lara")
    staff.set_password("pw-asso-2026-long")
    staff.save()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("lara")
    page.get_by_label("Mot de passe").fill("pw-asso-2026-long")
    page.get_by_role("button", name="S'identifier").click()


def test_the_orders_list_fits_a_phone_or_scrolls_in_its_own_frame(live_server, page):
    """Association staff on a 390 px phone: the orders list has a column per shop; the
    amount and status must be reachable (the table scrolls in its own focusable frame
    rather than being cut off at the screen's edge)."""
    factories.build_site()
    for name in ("Épicerie du Pont", "Librairie des Quais de Saône"):
        product = factories.product(factories.shop(name), title=f"Article de {name}", price="8.00", stock=4)
        place_order(Client(), [(product, 1)], last_name="Grandnomdefamille-Delacroix", phone="06 12 34 56 78")
    association_signed_in(live_server, page)
    page.goto(live_server.url + "/admin/commerce/commandes/")
    cut_off = page.locator("table.listing").evaluate("""table => {
        for (let box = table.parentElement; box; box = box.parentElement) {
            if (box.scrollWidth > box.clientWidth + 1) {
                const overflow = getComputedStyle(box).overflowX;
                return (overflow === "auto" || overflow === "scroll") && box.tabIndex >= 0 ? null
                    : `${box.tagName}.${box.className} cuts it (overflow-x: ${overflow})`;
            }
        }
        return null;
    }""")
    assert cut_off is None, cut_off
    assert page.locator("table.listing").bounding_box()["width"] > 0


def test_the_users_list_is_readable_on_a_phone(live_server, page):
    """Association staff on a 390 px phone: each account's name reads on a line or two
    (Wagtail's five columns left it a letter per line) and nothing is cut off."""
    from django.contrib.auth import get_user_model

    factories.build_site()
    get_user_model().objects.create_user("fabienne", "fabienne@example.org", "pw-client-2026",
                                         first_name="Fabienne", last_name="Moreau-Delacroix")
    association_signed_in(live_server, page)
    page.goto(live_server.url + "/admin/users/")
    name = page.get_by_role("link", name="Fabienne Moreau-Delacroix")
    expect(name).to_be_visible()
    assert name.bounding_box()["width"] >= 90, name.bounding_box()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the page is {overflow} px wider than the phone"
