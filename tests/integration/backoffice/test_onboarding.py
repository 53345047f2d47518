"""« Inscrire mon commerce »: a public application, reviewed by the association,
which creates the shop, its draft vitrine and the merchant's account."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from oscar.core.loading import get_model

from backoffice import roles
from backoffice.models import ShopApplication
from shops_pages.models import ShopKind, ShopPage

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")
User = get_user_model()


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def application_data(town, **overrides):
    data = {
        "shop_name": "Institut Zen", "kind": ShopKind.objects.get(slug="fromagerie").pk, "siret": "732 829 320 00074",
        "street": "3 rue des Tanneurs", "postcode": "21130", "city": "Auxonne", "contact_name": "Maud Petit",
        "phone": "06 11 22 33 44", "email": "maud@institut-zen.fr", "message": "Massages et cartes cadeaux.",
        "website": "",
    }
    data.update(overrides)
    return data


def test_a_shop_applies_and_both_sides_are_told(client, town, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("shop_application"), application_data(town), follow=True)
    assert "Merci, votre demande est envoyée" in response.content.decode()
    application = ShopApplication.objects.get()
    assert (application.siret, application.status, application.phone.as_national) == (
        "73282932000074", "en_attente", "06 11 22 33 44")
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["contact@example.org", "maud@institut-zen.fr"]


@pytest.mark.parametrize("overrides, message", [
    ({"siret": "1234"}, "Le SIRET compte 14 chiffres"),
    ({"siret": "73282932000075"}, "Ce numéro SIRET n&#x27;est pas valide"),
    ({"postcode": "2113"}, "Le code postal compte 5 chiffres."),
    ({"phone": "12"}, "Indiquez un numéro de téléphone français"),
    ({"email": "maud@"}, "Cette adresse e-mail n&#x27;est pas valide."),
    ({"shop_name": ""}, "Indiquez le nom de votre commerce."),
    ({"kind": ""}, "Choisissez le type de commerce."),
])
def test_mistakes_are_explained_and_nothing_is_recorded(client, town, overrides, message):
    response = client.post(reverse("shop_application"), application_data(town, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ShopApplication.objects.exists()


def test_a_robot_filling_the_hidden_field_is_thanked_but_ignored(client, town):
    response = client.post(reverse("shop_application"), application_data(town, website="http://spam.example"))
    assert response.status_code == 302
    assert not ShopApplication.objects.exists() and mail.outbox == []


def test_more_than_five_applications_an_hour_from_one_address_are_refused(client, town):
    for number in range(5):
        assert client.post(reverse("shop_application"), application_data(town, shop_name=f"Boutique {number}")).status_code == 302
    response = client.post(reverse("shop_application"), application_data(town, shop_name="Boutique 6"))
    assert response.status_code == 400 and "Trop de demandes" in response.content.decode()
    assert ShopApplication.objects.count() == 5


def test_approval_creates_the_shop_a_draft_vitrine_and_invites_the_merchant(client, town, team,
                                                                           django_capture_on_commit_callbacks):
    client.post(reverse("shop_application"), application_data(town))
    application = ShopApplication.objects.get()
    mail.outbox.clear()
    client.force_login(team["staff"])
    assert "Inscriptions (1)" in client.get(reverse("wagtailadmin_home")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("backoffice_application", args=[application.pk]), {"approve": "1"})

    page = ShopPage.objects.get(title="Institut Zen")
    assert not page.live and page.has_unpublished_changes
    assert (page.street, page.city, page.phone) == ("3 rue des Tanneurs", "Auxonne", "06 11 22 33 44")
    merchant = User.objects.get(email="maud@institut-zen.fr")
    assert not merchant.has_usable_password()
    assert list(roles.managed_partners(merchant)) == [page.partner]
    assert merchant.has_perm("catalogue.add_product") and merchant.has_perm("order.view_shoporder")
    assert not merchant.has_perm(roles.ALL_SHOPS) and not merchant.has_perm("auth.change_user")
    application.refresh_from_db()
    assert (application.status, application.shop_page, application.decided_by) == ("acceptee", page, team["staff"])

    [invitation] = mail.outbox
    assert invitation.to == ["maud@institut-zen.fr"] and "Institut Zen est inscrit" in invitation.subject
    link = re.search(r"http://\S+/admin/password_reset/confirm/\S+/", invitation.body).group(0)
    client.logout()
    form_page = client.get(link.split("8000", 1)[-1] if "8000" in link else link, follow=True)
    set_password_url = form_page.redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": "cassis-et-massages-21", "new_password2": "cassis-et-massages-21"})
    signed_in = client.post("/admin/login/", {"username": "maud@institut-zen.fr", "password": "cassis-et-massages-21"})
    assert signed_in.status_code == 302
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200


def test_rejection_needs_a_reason_which_is_emailed(client, town, team, django_capture_on_commit_callbacks):
    client.post(reverse("shop_application"), application_data(town))
    application = ShopApplication.objects.get()
    mail.outbox.clear()
    client.force_login(team["staff"])
    url = reverse("backoffice_application", args=[application.pk])
    response = client.post(url, {"reject": "1", "reason": ""})
    assert "Expliquez en quelques mots" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reject": "1", "reason": "Votre commerce est hors de la commune."})
    application.refresh_from_db()
    assert application.status == "refusee"
    [refusal] = mail.outbox
    assert "hors de la commune" in refusal.body
    assert not Partner.objects.filter(name="Institut Zen").exists()


def test_an_application_is_decided_once(client, town, team):
    client.post(reverse("shop_application"), application_data(town))
    application = ShopApplication.objects.get()
    client.force_login(team["staff"])
    url = reverse("backoffice_application", args=[application.pk])
    client.post(url, {"approve": "1"})
    response = client.post(url, {"approve": "1"}, follow=True)
    assert "Cette demande a déjà été traitée (Acceptée)." in response.content.decode()
    assert Partner.objects.filter(name="Institut Zen").count() == 1


def test_merchants_and_volunteers_cannot_review_applications(client, town, team):
    client.post(reverse("shop_application"), application_data(town))
    application = ShopApplication.objects.get()
    for who in ["alice", "volunteer"]:
        client.force_login(team[who])
        response = client.post(reverse("backoffice_application", args=[application.pk]), {"approve": "1"})
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert ShopApplication.objects.get().status == "en_attente"
