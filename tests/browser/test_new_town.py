"""A town started with `manage.py new_town`: association staff change its name and
colour in the Wagtail admin's settings, and the storefront shows them; a merchant may
not open that page."""
import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect
from wagtail.models import Site

from backoffice import roles
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url, username, password):
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="S'identifier").click()
    expect(page).to_have_url(base_url + "/admin/")


def test_staff_edit_the_towns_name_and_colour_and_a_merchant_may_not(live_server, browser, page):
    call_command("new_town", town="Le marché d'Auxonne", association="Union des commerçants d'Auxonne",
                 address="11 rue de l'Hôtel de Ville, 21130 Auxonne", phone="03 80 31 00 00",
                 email="contact@marche-auxonne.fr", domain=live_server.url, admin_email="maire@marche-auxonne.fr",
                 admin_password="Remparts-Vauban-1673", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    settings_url = live_server.url + reverse("wagtailsettings:edit", args=["townmarket", "townsettings", site.pk])
    factories.role_user(roles.ASSOCIATION, "lara")
    shop = factories.shop("Fromagerie du Pont", kind="Fromagerie")
    factories.merchant(shop, "fabienne", password="tomme-et-comte-21")

    page.goto(live_server.url + "/")
    expect(page.locator(".site-name")).to_have_text("Le marché d'Auxonne")

    log_in(page, live_server.url, "lara", "pw-role-2026")
    page.goto(settings_url)
    page.get_by_label("Nom du marché").fill("Shop'in Uzège")
    page.get_by_label("Couleur principale").fill("#ffd700")  # gold: white text unreadable on it
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Cette couleur est trop claire")).to_be_visible()
    page.get_by_label("Couleur principale").fill("#7a1f5c")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Cette couleur est trop claire")).to_have_count(0)

    page.goto(live_server.url + "/")
    expect(page.locator(".site-name")).to_have_text("Shop'in Uzège")
    expect(page).to_have_title("Le marché d'Auxonne")  # the home page keeps its own title
    expect(page.locator(".site-header")).to_have_css("background-color", "rgb(122, 31, 92)")
    page.goto(live_server.url + "/commerces/")
    expect(page).to_have_title("Les commerces · Shop'in Uzège")

    merchant = browser.new_context(locale="fr-FR").new_page()
    log_in(merchant, live_server.url, "fabienne", "tomme-et-comte-21")
    response = merchant.goto(settings_url)
    assert response.status == 403 or merchant.url != settings_url
    expect(merchant.get_by_label("Nom du marché")).to_have_count(0)
    merchant.context.close()
