"""Issue 16 on a phone (390×844): the basket with thumbnails, − / + and « Retirer »;
the checkout with its errors, then the confirmation; the tracking page from the
e-mail's link; login and registration; the account's order list and detail. axe-core
finds nothing on any of them, nothing scrolls sideways; and a checkout made with the
keyboard only, from the basket to the confirmation."""
import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.core.loading import get_model
from PIL import Image

from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.steps import accept_terms, add_to_basket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Order = get_model("order", "Order")
ProductImage = get_model("catalogue", "ProductImage")


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    """Registration is rate-limited per address in the cache (a database table that
    outlives a reused test database): each test starts with none used."""
    from django.core.cache import caches

    for cache in caches.all():  # "shared" holds the rate limits
        cache.clear()


def picture(product, colour):
    buffer = io.BytesIO()
    Image.new("RGB", (800, 800), colour).save(buffer, "JPEG")
    ProductImage.objects.create(product=product, original=SimpleUploadedFile(f"{product.slug}.jpg", buffer.getvalue()))


@pytest.fixture
def shops(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    factories.build_site()
    cheese = factories.shop("Fromagerie du Pont", kind="Fromagerie")
    books = factories.shop("Librairie des Quais", kind="Librairie", is_food=False)
    comte = factories.product(cheese, title="Comté 24 mois", price="14.20", stock=4)
    guide = factories.product(books, title="Guide des balades", price="12.00", stock=2, category_name="Livres")
    picture(comte, "orange")
    picture(guide, "teal")
    return {"comte": comte, "guide": guide}


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def check(page, where):
    no_sideways_scroll(page)
    assert_accessible(page, where)


def quantity_of(page, title):
    return page.get_by_role("spinbutton", name=f"Quantité de {title}", exact=True).input_value()


def link_in_mail(pattern, to):
    message = [m for m in mail.outbox if to in m.to][-1]
    url = re.search(pattern, message.body).group(0)
    return url


def test_basket_checkout_tracking_registration_and_account(live_server, page, shops):
    add_to_basket(page, live_server.url, shops["comte"], shops["guide"])
    page.goto(live_server.url + "/boutique/basket/")
    thumbs = page.locator("img.basket-thumb")
    assert thumbs.count() == 2
    assert all(thumbs.nth(i).evaluate("img => img.complete && img.naturalWidth > 0") for i in range(2))
    assert thumbs.first.bounding_box()["width"] <= 96
    check(page, "panier plein")

    page.get_by_role("button", name="Un de plus : Comté 24 mois").click()
    assert quantity_of(page, "Comté 24 mois") == "2"
    page.get_by_role("button", name="Un de plus : Comté 24 mois").click()
    assert quantity_of(page, "Comté 24 mois") == "3"
    page.get_by_role("button", name="Un de moins : Comté 24 mois").click()
    assert quantity_of(page, "Comté 24 mois") == "2"
    page.get_by_role("button", name="Retirer Guide des balades").click()
    assert page.get_by_text("« Guide des balades » est retiré de votre panier.").is_visible()
    assert page.get_by_role("link", name="Guide des balades").count() == 0
    check(page, "panier après « Retirer »")

    page.get_by_role("link", name="Commander").click()
    page.get_by_label("Téléphone").fill("+1 202 555 0143")
    page.get_by_role("button", name="Valider la commande").click()
    assert page.get_by_text("Indiquez votre prénom.").first.is_visible()
    assert page.get_by_text("numéro de téléphone français").first.is_visible()
    check(page, "commande avec erreurs")

    page.get_by_label("Prénom").fill("Hélène")
    page.locator("#id_last_name").fill("Jourdan")
    page.get_by_label("Adresse e-mail").fill("helene@example.org")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    accept_terms(page)
    page.get_by_role("button", name="Valider la commande").click()
    page.wait_for_url("**/checkout/merci/")
    number = page.locator(".order-number").inner_text()
    check(page, "confirmation")

    # The e-mail's tracking link, in another browser (no session, no login).
    tracking_url = link_in_mail(r"https?://\S+/suivi/\S+", "helene@example.org")
    other = page.context.browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    visitor = other.new_page()
    visitor.goto(tracking_url)
    assert visitor.get_by_role("heading", level=1).inner_text() == f"Commande n° {number}"
    assert visitor.get_by_role("heading", name="Fromagerie du Pont").is_visible()
    assert visitor.get_by_text("Nouvelle").first.is_visible()
    check(visitor, "suivi depuis l'e-mail")
    other.close()

    # Registration with the same address: once verified, the order is in the account.
    page.goto(live_server.url + "/boutique/accounts/login/")
    check(page, "connexion et inscription")
    page.locator("#id_registration-email").fill("helene@example.org")
    page.get_by_role("button", name=re.compile("inscri|Créer", re.I)).click()
    check(page, "vérifiez vos e-mails")
    confirm_url = link_in_mail(r"https?://\S+/inscription/\S+/", "helene@example.org")
    page.goto(confirm_url)
    check(page, "choisir un mot de passe")
    page.locator("#id_new_password1").fill("Un-mot-de-passe-2026")
    page.locator("#id_new_password2").fill("Un-mot-de-passe-2026")
    page.get_by_role("button", name=re.compile("Créer|Enregistrer|Valider", re.I)).click()
    page.goto(live_server.url + "/boutique/accounts/orders/")
    assert page.get_by_role("link", name=f"Commande n° {number}").is_visible()
    check(page, "mes commandes")
    page.get_by_role("link", name=f"Commande n° {number}").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Commande n° {number}"
    assert page.locator("#contenu").get_by_role("link", name="03 80 00 00 00").is_visible()
    check(page, "détail de la commande")
    assert Order.objects.get(number=number).user.email == "helene@example.org"
    for item in ("Mes adresses", "Mes informations"):
        page.get_by_role("navigation", name="Mon compte").get_by_role("link", name=item).click()
        check(page, item)
    page.goto(live_server.url + "/boutique/basket/")
    assert page.get_by_text("Votre panier est vide.").is_visible()
    check(page, "panier vide")


def tab_to(page, matches, limit=80):
    """Press Tab until the focused element satisfies `matches` (a JS predicate on it)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({matches})(el); }})()"):
            return
    raise AssertionError(f"Tab never reached {matches} on {page.url}")


def type_into(page, field_id, text):
    tab_to(page, f"el => el.id === '{field_id}'")
    page.keyboard.type(text)


def test_keyboard_only_checkout_from_basket_to_confirmation(live_server, page, shops):
    add_to_basket(page, live_server.url, shops["comte"])
    page.goto(live_server.url + "/boutique/basket/")
    tab_to(page, "el => el.textContent.includes('Un de plus')")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert quantity_of(page, "Comté 24 mois") == "2"
    tab_to(page, "el => el.tagName === 'A' && el.textContent.trim() === 'Commander'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/checkout/")
    type_into(page, "id_first_name", "Hélène")
    type_into(page, "id_last_name", "Jourdan")
    type_into(page, "id_email", "helene@example.org")
    type_into(page, "id_phone", "06 12 34 56 78")
    # A radio group is one Tab stop; Space picks the focused option.
    tab_to(page, "el => el.type === 'radio' && el.name === 'payment_method'")
    page.keyboard.press("Space")
    tab_to(page, "el => el.id === 'id_accept_terms'")  # the CGV box: Space ticks it
    page.keyboard.press("Space")
    tab_to(page, "el => el.textContent.trim() === 'Valider la commande'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/checkout/merci/")
    assert Order.objects.get().lines.get().quantity == 2


def test_basket_and_checkout_reflow_at_320_px_with_text_at_200_percent(live_server, page, shops):
    add_to_basket(page, live_server.url, shops["comte"], shops["guide"])
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/boutique/basket/", "/boutique/checkout/"):
        page.goto(live_server.url + path)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        no_sideways_scroll(page)
    stepper = page.goto(live_server.url + "/boutique/basket/") and page.get_by_role("button", name="Un de plus : Comté 24 mois")
    box = stepper.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
