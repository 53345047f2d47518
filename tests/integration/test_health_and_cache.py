"""/healthz tells a load balancer whether this server can serve (database and caches);
/ping is the trivial view. A Redis that stops while serving makes pages slower, not 500s,
and loses no session (cached_db)."""
import shutil
import signal
import socket
import subprocess
import time
from unittest import mock

import pytest
import redis
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import OperationalError
from django.test import Client, override_settings

from tests.integration.test_production_start import free_port

pytestmark = pytest.mark.django_db


def redis_caches(port):
    """The CACHES settings/base.py builds from REDIS_URL=redis://127.0.0.1:<port>/0."""
    config = {"BACKEND": "townmarket.cache.ResilientRedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0",
              "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
    return {"default": config, "shared": config}


@pytest.fixture
def redis_server(tmp_path):
    """A Redis of this test's own, on a free port, that the test may stop."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    for _ in range(50):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    yield server, port, client
    server.kill()
    server.wait()


def test_ping_is_trivial(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/ping")
    assert response.status_code == 200 and response.content == b"ok"


def test_healthz_checks_the_database_and_the_caches(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content.decode().startswith("ok")


def test_healthz_answers_503_naming_the_database_when_it_does_not_answer(client):
    with mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor",
                    side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert "base de données" in response.content.decode()


def test_healthz_answers_503_naming_the_cache_when_redis_does_not_answer(client):
    with override_settings(CACHES=redis_caches(free_port())):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.content.decode()
    assert "cache « default »" in body and "cache « shared »" in body
    assert "base de données : ok" in body


def test_a_redis_outage_while_serving_gives_slower_pages_not_errors(client, town, redis_server, settings):
    server, port, redis_client = redis_server
    settings.CACHES = redis_caches(port)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    customer = get_user_model().objects.create_user("claire", "claire@example.org", "un-mot-de-passe-long")
    client.force_login(customer)
    pages = ["/", "/commerces/", "/commerces/fromagerie-test/", "/boutique/accounts/profile/"]  # signed-in only
    assert [client.get(url).status_code for url in pages] == [200] * len(pages)
    assert redis_client.dbsize() > 0  # the pages did use Redis (Wagtail's, Oscar's caches, the session)

    server.kill()
    server.wait()
    started = time.monotonic()
    assert [client.get(url).status_code for url in pages] == [200] * len(pages)  # still signed in
    assert client.get("/healthz").status_code == 503
    # A rate-limited form fails open (RATELIMIT_FAIL_OPEN): the e-mail still goes.
    assert Client().post("/boutique/password-reset/", {"email": "claire@example.org"}).status_code == 302
    assert [message.to for message in mail.outbox] == [["claire@example.org"]]
    assert time.monotonic() - started < 10  # not REDIS_TIMEOUT on every one of the cache calls


def test_a_session_signed_out_while_redis_hung_stays_signed_out_when_it_answers_again(
        client, town, redis_server, settings, monkeypatch):
    """Redis paused (not restarted: it keeps its data) while the visitor signs out: the
    sign-out reaches only the database; once Redis answers, its stale copy of the
    signed-in session must not be served."""
    from townmarket.cache import ResilientRedisCache

    monkeypatch.setattr(ResilientRedisCache, "RETRY_AFTER", 0.2)
    server, port, redis_client = redis_server
    settings.CACHES = redis_caches(port)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    customer = get_user_model().objects.create_user("claire", "claire@example.org", "un-mot-de-passe-long")
    client.force_login(customer)
    assert client.get("/boutique/accounts/profile/").status_code == 200
    signed_in = client.cookies[settings.SESSION_COOKIE_NAME].value

    server.send_signal(signal.SIGSTOP)  # hung: connections time out
    try:
        assert client.get("/boutique/accounts/logout/").status_code == 302
    finally:
        server.send_signal(signal.SIGCONT)
    time.sleep(0.3)
    client.cookies[settings.SESSION_COOKIE_NAME] = signed_in  # the old cookie, replayed
    response = client.get("/boutique/accounts/profile/")
    assert response.status_code == 302 and "/login/" in response["Location"]
