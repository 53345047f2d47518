"""A server error is mailed to ADMINS (from the environment), through the outbox."""
import pytest
from django.core import mail
from django.test import Client
from django.urls import include, path

from townmarket.models import OutboxMessage
from townmarket.settings.base import env_addresses


def broken_view(request):
    raise RuntimeError("panne simulée")


urlpatterns = [path("panne/", broken_view), path("", include("townmarket.urls"))]


def test_admins_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("ADMINS", '"Dupont, Équipe technique" <tech@marche.example.fr>, ops@marche.example.fr')
    assert env_addresses("ADMINS") == [("Dupont, Équipe technique", "tech@marche.example.fr"),
                                       ("", "ops@marche.example.fr")]
    monkeypatch.setenv("ADMINS", "")
    assert env_addresses("ADMINS") == []


@pytest.mark.django_db(transaction=True)
def test_a_server_error_mails_the_admins_through_the_outbox(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    settings.ADMINS = [("Équipe technique", "tech@marche.example.fr")]
    settings.SERVER_EMAIL = "serveur@marche.example.fr"
    settings.EMAIL_BACKEND = "townmarket.outbox.OutboxBackend"  # as in production

    response = Client(raise_request_exception=False).get("/panne/")

    assert response.status_code == 500
    recorded = OutboxMessage.objects.get()
    assert recorded.recipients == "tech@marche.example.fr"
    assert "/panne/" in recorded.subject
    # delivered by the (here immediate) task worker
    assert [(message.to, message.from_email) for message in mail.outbox] == [
        (["tech@marche.example.fr"], "serveur@marche.example.fr")]
    assert "panne simulée" in mail.outbox[0].body
