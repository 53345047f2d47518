"""Brute force and e-mail flooding: every login form locks an account after a few wrong
passwords from one address; password-reset and registration e-mails are limited; limits
name the visitor by the address the trusted proxy saw, never by the proxy itself."""
import pytest
from django.core import mail

from tests import factories

PASSWORD = "tomme-et-comte-21"
LOGIN_FORMS = {
    "shop": ("/boutique/accounts/login/", lambda email, password: {
        "login-username": email, "login-password": password, "login_submit": "1"}),
    "wagtail admin": ("/admin/login/", lambda email, password: {"username": email, "password": password}),
    "django admin": ("/django-admin/login/", lambda email, password: {"username": email, "password": password}),
}


def text(response):
    return response.content.decode()


@pytest.fixture
def fabienne(town):
    user = factories.merchant(town["cheese"], "fabienne", password=PASSWORD)
    user.is_staff = True  # so that the Django admin's form may sign her in too
    user.save()
    return user


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("form", LOGIN_FORMS)
def test_wrong_passwords_lock_the_account_for_that_address(client, fabienne, settings, form):
    settings.AXES_FAILURE_LIMIT = 5
    url, data = LOGIN_FORMS[form]
    username = fabienne.email if form == "shop" else fabienne.username
    for _ in range(5):
        client.post(url, data(username, "devine-encore"))
        assert not signed_in(client)

    refused = client.post(url, data(username, PASSWORD))  # the right password must now wait
    assert refused.status_code == 429
    assert "Connexion bloquée pour quelques minutes" in text(refused)
    assert not signed_in(client)

    # the same account from another address, and another account, are not held up
    from django.test import Client
    elsewhere = Client(REMOTE_ADDR="192.0.2.50")
    assert elsewhere.post(url, data(username, PASSWORD)).status_code == 302 and signed_in(elsewhere)


def test_a_right_password_resets_the_count(client, fabienne, settings):
    settings.AXES_FAILURE_LIMIT = 3
    url, data = LOGIN_FORMS["wagtail admin"]
    for _ in range(2):
        client.post(url, data("fabienne", "non"))
    assert client.post(url, data("fabienne", PASSWORD)).status_code == 302
    client.logout()
    for _ in range(2):
        client.post(url, data("fabienne", "non"))
    assert client.post(url, data("fabienne", PASSWORD)).status_code == 302


@pytest.mark.parametrize("url", ["/boutique/password-reset/", "/admin/password_reset/"])
def test_password_reset_emails_are_limited(client, fabienne, settings, url):
    settings.PASSWORD_RESET_LIMIT_PER_HOUR = 3
    answers = [client.post(url, {"email": fabienne.email}) for _ in range(10)]
    assert len(mail.outbox) == 3
    assert [a.status_code for a in answers[3:]] == [429] * 7
    assert "Trop de demandes pour cette adresse" in text(answers[-1])


def test_password_reset_to_one_address_is_limited_whatever_the_senders_address(client, fabienne, settings):
    settings.PASSWORD_RESET_LIMIT_PER_HOUR = 3
    from django.test import Client
    for number in range(8):
        Client(REMOTE_ADDR=f"198.51.100.{number}").post("/boutique/password-reset/",
                                                        {"email": fabienne.email.upper()})
    assert len(mail.outbox) == 3


def test_behind_a_proxy_each_visitor_is_counted_apart(client, town, settings):
    """Every request comes from the proxy (REMOTE_ADDR); the visitor is the address the
    proxy appended to X-Forwarded-For. Addresses typed further left by a visitor are not
    believed."""
    settings.TRUSTED_PROXY_COUNT = 1
    from plugins.gift_cards.models import GiftCardSettings
    GiftCardSettings.objects.filter(pk=GiftCardSettings.for_town().pk).update(throttle_attempts=3)
    balance = "/cartes-cadeaux/solde/"
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for number in range(3):  # a guesser who also forges the header
        client.post(balance, {"code": "ABCD-EFGH-JKMN-PQR0"},
                    HTTP_X_FORWARDED_FOR=f"203.0.113.{number}, 198.51.100.9", **proxy)
    blocked = client.post(balance, {"code": "ABCD-EFGH-JKMN-PQR0"},
                          HTTP_X_FORWARDED_FOR="203.0.113.99, 198.51.100.9", **proxy)
    assert blocked.status_code == 429
    # another customer, through the same proxy, is not blocked
    other = client.post(balance, {"code": "ABCD-EFGH-JKMN-PQR0"}, HTTP_X_FORWARDED_FOR="198.51.100.10", **proxy)
    assert other.status_code == 400 and "Trop de codes" not in text(other)


def test_shop_applications_are_counted_in_the_shared_cache(client, db, settings):
    """Not in a per-process memory cache: two server processes must count the same."""
    from django.conf import settings
    from django.core.cache import caches
    backend = type(caches[settings.RATELIMIT_USE_CACHE]).__module__
    assert "locmem" not in backend and "dummy" not in backend
    for _ in range(6):
        last = client.post("/inscrire-mon-commerce/", {"shop_name": "x"})
    assert "Trop de demandes envoyées depuis cette connexion" in text(last)


def test_stock_alert_emails_are_limited_per_address(client, town, settings):
    settings.PASSWORD_RESET_LIMIT_PER_HOUR = 3
    town["comte"].stockrecords.update(num_in_stock=0)
    url = f"/boutique/accounts/alerts/create/{town['comte'].pk}/"
    answers = [client.post(url, {"email": f"voisin{number}@example.org"}) for number in range(8)]
    assert len(mail.outbox) == 3
    assert answers[-1].status_code == 429
