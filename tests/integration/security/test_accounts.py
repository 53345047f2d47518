"""Accounts: registration and password reset never tell whether an address has an
account; reset and invitation links point at the site's public address (the Wagtail
Site's), never at the Host header a request carried; approving a
shop application never hands an existing account merchant rights; nobody takes
another account's e-mail address."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from backoffice import roles
from backoffice.models import ShopApplication
from shops_pages.models import ShopKind, ShopPage
from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()
HOST = "marche.example.fr"
FORGED_HOST = "evil.example"  # a Host header the links must not follow (password-reset poisoning)
LINK = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture(autouse=True)
def _public_address(db):
    """The town's address, as set in Settings > Sites (port 80: http unless the request came over TLS)."""
    from wagtail.models import Site

    Site.objects.filter(is_default_site=True).update(hostname=HOST, port=80)


def text(response):
    return response.content.decode()


def signed_in(client):
    return "_auth_user_id" in client.session


def links(message):
    return LINK.findall(message.body)


@pytest.fixture
def customer(town):
    return User.objects.create_user("hjourdan", "helene@example.org", "tomme-et-comte-21",
                                    first_name="Hélène", last_name="Jourdan")


# --- 1. Registration does not reveal which addresses have an account -------------

REGISTRATION_FORMS = {
    "login page": ("/boutique/accounts/login/", lambda email: {
        "registration-email": email, "registration-password1": "brioche-du-dimanche-7",
        "registration-password2": "brioche-du-dimanche-7", "registration_submit": "1"}),
    "register page": ("/boutique/accounts/register/", lambda email: {
        "email": email, "password1": "brioche-du-dimanche-7", "password2": "brioche-du-dimanche-7"}),
}


@pytest.mark.parametrize("form", REGISTRATION_FORMS)
def test_registering_a_known_or_unknown_address_looks_the_same(client, customer, form):
    url, data = REGISTRATION_FORMS[form]
    answers = []
    for email in ["helene@example.org", "nouvelle@example.org"]:
        client.logout()
        response = client.post(url, data(email))
        followed = client.get(response["Location"]) if response.status_code == 302 else response
        answers.append((response.status_code, response.get("Location"), signed_in(client)))
        assert "Vérifiez votre boîte" in text(followed)
    assert answers[0] == answers[1] == (302, reverse("customer:register-check-inbox"), False)
    assert User.objects.filter(email__iexact="helene@example.org").count() == 1
    assert not User.objects.filter(email="nouvelle@example.org").exists()  # not before the link is followed
    known, unknown = mail.outbox
    assert known.to == ["helene@example.org"] and "Vous avez déjà un compte" in known.body
    assert any("/boutique/password-reset/" in link for link in links(known))
    assert unknown.to == ["nouvelle@example.org"] and "Vous avez déjà un compte" not in unknown.body


def test_the_link_in_the_registration_email_creates_the_account(client, town):
    url, data = REGISTRATION_FORMS["login page"]
    client.post(url, data("Nouvelle@Example.org"), HTTP_HOST=FORGED_HOST)
    [link] = [link for link in links(mail.outbox[0]) if "/inscription/" in link]
    assert link.startswith(f"http://{HOST}/")
    page = client.get(link.split(HOST, 1)[1])
    assert page.status_code == 200 and "Choisissez votre mot de passe" in text(page)
    response = client.post(link.split(HOST, 1)[1], {"new_password1": "brioche-du-dimanche-7",
                                                    "new_password2": "brioche-du-dimanche-7"})
    assert response.status_code == 302 and signed_in(client)
    user = User.objects.get(email__iexact="nouvelle@example.org")
    assert user.check_password("brioche-du-dimanche-7")
    client.logout()
    again = client.post(link.split(HOST, 1)[1], {"new_password1": "autre-chose-tres-long-8",
                                                 "new_password2": "autre-chose-tres-long-8"})
    assert "Ce lien n’est plus valable" in text(again)
    assert User.objects.filter(email__iexact="nouvelle@example.org").count() == 1


def test_a_forged_registration_link_is_refused(client, town):
    response = client.get(reverse("customer:register-confirm", args=["bm91dmVsbGVAZXhhbXBsZS5vcmc:forged:sig"]))
    assert response.status_code == 400 and "Ce lien n’est plus valable" in text(response)
    assert not User.objects.filter(email="nouvelle@example.org").exists()


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, customer):
    known = client.post("/boutique/password-reset/", {"email": "helene@example.org"})
    unknown = client.post("/boutique/password-reset/", {"email": "personne@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [["helene@example.org"]]


# --- 2. Reset and invitation links use the Site's address, not the Host header -----

def test_shop_password_reset_link_uses_the_sites_address(client, customer):
    client.post("/boutique/password-reset/", {"email": "helene@example.org"}, HTTP_HOST=FORGED_HOST)
    [message] = mail.outbox
    assert "example.com" not in message.body + "".join(str(a[0]) for a in message.alternatives)
    [link] = {link for link in links(message) if "/password-reset/confirm/" in link}
    assert link.startswith(f"http://{HOST}/boutique/password-reset/confirm/")


def test_shop_password_reset_over_https_gives_an_https_link(client, customer):
    client.post("/boutique/password-reset/", {"email": "helene@example.org"}, HTTP_HOST=FORGED_HOST, secure=True)
    [link] = {link for link in links(mail.outbox[0]) if "/password-reset/confirm/" in link}
    assert link.startswith(f"https://{HOST}/boutique/password-reset/confirm/")


@pytest.mark.parametrize("change", ["email", "password"])
def test_the_reset_link_in_account_change_emails_uses_the_sites_address(client, customer, change):
    """Oscar tells the old address of a changed e-mail or password, with a reset link in case it was not you."""
    client.force_login(customer)
    if change == "email":
        client.post(reverse("customer:profile-update"), {"first_name": "Hélène", "last_name": "Jourdan",
                                                         "email": "helene.j@example.org"}, HTTP_HOST=FORGED_HOST)
    else:
        client.post(reverse("customer:change-password"), {
            "old_password": "tomme-et-comte-21", "new_password1": "brioche-du-dimanche-7",
            "new_password2": "brioche-du-dimanche-7"}, HTTP_HOST=FORGED_HOST)
    [message] = mail.outbox
    assert "example.com" not in message.body + "".join(str(a[0]) for a in message.alternatives)
    reset_links = {link for link in links(message) if "/password-reset/confirm/" in link}
    assert reset_links and all(link.startswith(f"http://{HOST}/boutique/") for link in reset_links)


def test_admin_password_reset_link_uses_the_sites_address(client, team):
    client.post("/admin/password_reset/", {"email": team["alice"].email}, HTTP_HOST=FORGED_HOST)
    [message] = mail.outbox
    assert "example.com" not in message.body and "127.0.0.1" not in message.body
    [link] = [link for link in links(message) if "/password_reset/confirm/" in link]
    assert link.startswith(f"http://{HOST}/admin/password_reset/confirm/")


def test_admin_password_reset_over_https_gives_an_https_link(client, team):
    client.post("/admin/password_reset/", {"email": team["alice"].email}, HTTP_HOST=FORGED_HOST, secure=True)
    [link] = [link for link in links(mail.outbox[0]) if "/password_reset/confirm/" in link]
    assert link.startswith(f"https://{HOST}/admin/")


def application_data(**overrides):
    data = {
        "shop_name": "Institut Zen", "kind": ShopKind.objects.get(slug="fromagerie").pk, "siret": "732 829 320 00074",
        "street": "3 rue des Tanneurs", "postcode": "21130", "city": "Auxonne", "contact_name": "Maud Petit",
        "phone": "06 11 22 33 44", "email": "maud@institut-zen.fr", "message": "Massages.", "website": "",
    }
    data.update(overrides)
    return data


def approve(client, staff, django_capture_on_commit_callbacks, **overrides):
    client.post(reverse("shop_application"), application_data(**overrides))
    application = ShopApplication.objects.get()
    mail.outbox.clear()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("backoffice_application", args=[application.pk]), {"approve": "1"},
                               HTTP_HOST=FORGED_HOST, follow=True)
    client.logout()
    return response


def test_the_invitation_of_a_new_merchant_uses_the_sites_address(client, team, django_capture_on_commit_callbacks):
    approve(client, team["staff"], django_capture_on_commit_callbacks)
    [invitation] = mail.outbox
    assert "127.0.0.1" not in invitation.body and "example.com" not in invitation.body
    assert all(link.startswith(f"http://{HOST}/") for link in links(invitation)) and links(invitation)


# --- 3. Approving an application does not turn an existing account into a merchant -

def test_an_application_with_an_existing_accounts_email_gives_it_no_rights(client, team, customer,
                                                                            django_capture_on_commit_callbacks):
    response = approve(client, team["staff"], django_capture_on_commit_callbacks, email="Helene@example.org")
    assert "doit accepter l’invitation" in text(response)
    page = ShopPage.objects.get(title="Institut Zen")
    customer = User.objects.get(pk=customer.pk)
    assert not customer.groups.exists() and not page.partner.users.exists()
    assert list(roles.managed_partners(customer)) == []
    assert not customer.has_perm("catalogue.add_product") and not customer.has_perm("wagtailadmin.access_admin")
    client.force_login(customer)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 302
    assert client.get(reverse("backoffice_products")).status_code == 302
    [invitation] = mail.outbox
    assert invitation.to == ["helene@example.org"] and "Vous avez déjà un compte" in invitation.body
    assert "/admin/password_reset/" not in invitation.body  # no password link for an existing account


def test_the_account_holder_accepts_the_invitation_while_signed_in(client, team, customer,
                                                                   django_capture_on_commit_callbacks):
    approve(client, team["staff"], django_capture_on_commit_callbacks, email="helene@example.org")
    page = ShopPage.objects.get(title="Institut Zen")
    [link] = [link for link in links(mail.outbox[0]) if "/invitation/" in link]
    path = link.split(HOST, 1)[1]
    assert client.get(path)["Location"].startswith(reverse("customer:login"))  # sign in first
    client.force_login(team["bob"])  # somebody else's account: refused, nothing granted
    refused = client.post(path)
    assert refused.status_code == 403 and "Cette invitation est destinée à un autre compte" in text(refused)
    assert not page.partner.users.exists()
    client.force_login(customer)
    assert "Institut Zen" in text(client.get(path))
    response = client.post(path)
    assert response.status_code == 302
    assert list(roles.managed_partners(User.objects.get(pk=customer.pk))) == [page.partner]
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200


def test_a_forged_invitation_is_refused(client, customer):
    client.force_login(customer)
    response = client.post(reverse("shop_invitation", args=["MTox:forged:sig"]))
    assert response.status_code == 400 and "Ce lien n’est plus valable" in text(response)
    assert not customer.groups.exists()


# --- 4. Nobody takes another account's e-mail address ------------------------------

def account_data(email):
    return {"name_email-first_name": "Alice", "name_email-last_name": "Martin", "name_email-email": email,
            "email-email": email, "locale-preferred_language": "fr", "locale-current_time_zone": "",
            "theme-theme": "system", "theme-density": "default", "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on"}


def test_the_admin_account_page_refuses_another_accounts_email(client, team):
    alice = team["alice"]
    client.force_login(alice)
    response = client.post(reverse("wagtailadmin_account"), account_data("BOB@example.org"))
    assert response.status_code == 200
    assert "Cette adresse e-mail est déjà celle d’un autre compte." in text(response)
    alice.refresh_from_db()
    assert alice.email == "alice@example.org" and alice.first_name == ""


def test_the_admin_account_page_still_changes_ones_email(client, team):
    alice = team["alice"]
    client.force_login(alice)
    response = client.post(reverse("wagtailadmin_account"), account_data("alice.martin@example.org"))
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.email, alice.first_name) == ("alice.martin@example.org", "Alice")


def test_the_shop_profile_refuses_another_accounts_email(client, customer, team):
    client.force_login(customer)
    response = client.post(reverse("customer:profile-update"), {
        "first_name": "Hélène", "last_name": "Jourdan", "email": "ALICE@example.org"})
    assert response.status_code == 200
    assert "Cette adresse e-mail est déjà celle d’un autre compte." in text(response)
    customer.refresh_from_db()
    assert customer.email == "helene@example.org"


@pytest.mark.parametrize("action", ["edit", "add"])
def test_the_admin_users_pages_refuse_another_accounts_email(client, team, action):
    """Association staff manage users: they cannot give two accounts one address either."""
    client.force_login(team["staff"])
    bob = team["bob"]
    data = {"username": "bob" if action == "edit" else "bernard", "email": "Alice@Example.org",
            "first_name": "Bob", "last_name": "Durand", "is_active": "on"}
    if action == "add":
        data.update(password1="brioche-du-dimanche-7", password2="brioche-du-dimanche-7")
    url = reverse("wagtailusers_users:edit", args=[bob.pk]) if action == "edit" else reverse("wagtailusers_users:add")
    response = client.post(url, data)
    assert "Cette adresse e-mail est déjà celle d’un autre compte." in text(response)
    assert User.objects.filter(email__iexact="alice@example.org").count() == 1


# --- 5. Only the platform administrator makes administrators ---------------------------

@pytest.mark.parametrize("action", ["edit", "add"])
def test_association_staff_cannot_make_an_account_administrator(client, team, action):
    """The association manages users, but « Administrateur » (superuser: every town's
    orders, every screen) is the platform administrator's to give: the box is not offered
    and a forged one changes nothing."""
    client.force_login(team["staff"])
    bob = team["bob"]
    url = reverse("wagtailusers_users:edit", args=[bob.pk]) if action == "edit" else reverse("wagtailusers_users:add")
    assert 'name="is_superuser"' not in text(client.get(url))
    data = {"username": "bob" if action == "edit" else "bernard", "email": "bernard@example.org",
            "first_name": "Bob", "last_name": "Durand", "is_active": "on", "is_superuser": "on"}
    if action == "add":
        data.update(password1="brioche-du-dimanche-7", password2="brioche-du-dimanche-7")
    client.post(url, data)
    assert not User.objects.filter(is_superuser=True).exists()
    admin = User.objects.create_superuser("plateforme", "plateforme@example.org", "pw-admin-2026")
    client.force_login(admin)
    assert 'name="is_superuser"' in text(client.get(url))


def test_association_staff_cannot_change_the_platform_administrators_account(client, team):
    """On an install of one town too: the superuser's e-mail and password are not the
    association's to change (that would make them the administrator)."""
    admin = User.objects.create_superuser("plateforme", "plateforme@example.org", "pw-admin-2026")
    before = User.objects.filter(pk=admin.pk).values_list("email", "password", "is_active").get()
    client.force_login(team["staff"])
    assert client.get(reverse("wagtailusers_users:edit", args=[admin.pk])).status_code in (302, 403, 404)
    client.post(reverse("wagtailusers_users:edit", args=[admin.pk]),
                {"username": "plateforme", "email": "pirate@example.org", "first_name": "", "last_name": "",
                 "is_active": "on", "password1": "Pirate-2026-xyz", "password2": "Pirate-2026-xyz"})
    client.post(reverse("wagtailusers_users:delete", args=[admin.pk]))
    listing = client.get("/admin/users/?q=plateforme").content.decode()
    assert reverse("wagtailusers_users:edit", args=[admin.pk]) not in listing
    assert User.objects.filter(pk=admin.pk).values_list("email", "password", "is_active").get() == before
