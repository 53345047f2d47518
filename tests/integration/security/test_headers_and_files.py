"""What a browser is told to refuse (CSP, Permissions-Policy, cookie flags), where files
nobody may fetch live, and production's start-up checks."""
import io
import os
import re
from pathlib import Path
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from tests import factories
from tests.integration.helpers import add_to_basket


def inline_scripts(html):
    return re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)


def test_storefront_pages_run_only_their_own_scripts(client, town):
    add_to_basket(client, town["comte"])
    for url in ["/", "/commerces/", town["comte"].get_absolute_url(), "/boutique/basket/", "/boutique/checkout/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
        assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy.split("style-src")[0]
        assert "object-src 'none'" in policy and "frame-ancestors 'self'" in policy
        for attributes in inline_scripts(response.content.decode()):
            assert f'nonce="{nonce}"' in attributes or 'type="application/ld+json"' in attributes, (url, attributes)
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_the_admin_keeps_a_policy_too(client, team):
    client.force_login(team["staff"])
    policy = client.get("/admin/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy


def test_the_anonymous_basket_cookie_is_flagged(client, town, settings):
    response = add_to_basket(client, town["comte"])
    cookie = response.cookies[settings.OSCAR_BASKET_COOKIE_OPEN]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and not cookie["secure"]

    settings.OSCAR_BASKET_COOKIE_SECURE = True  # what HTTPS=1 sets in production
    client.cookies.clear()
    cookie = add_to_basket(client, town["epoisses"]).cookies[settings.OSCAR_BASKET_COOKIE_OPEN]
    assert cookie["secure"] and cookie["samesite"] == "Lax"


def png():
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def test_django_does_not_serve_media_in_production(client, town):
    path = settings.MEDIA_ROOT / "images" / "vitrine.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png())
    assert not settings.SERVE_MEDIA
    assert client.get("/media/images/vitrine.png").status_code == 404


def test_documents_of_a_private_collection_are_reachable_by_no_url(client, team):
    root = Collection.get_first_root_node()
    board = root.add_child(name="Bureau de l'association")
    CollectionViewRestriction.objects.create(collection=board, restriction_type="groups").groups.add(
        Group.objects.get(name="Association"))
    client.force_login(team["staff"])
    upload = io.BytesIO(b"%PDF-1.4 compte rendu du bureau")
    upload.name = "compte-rendu.pdf"
    response = client.post("/admin/documents/multiple/add/", {"files[]": upload, "collection": board.pk})
    assert response.status_code == 200, response.content[:500]
    document = get_document_model().objects.get()

    # the file is outside MEDIA_ROOT, which the front server publishes
    try:
        assert not Path(document.file.path).is_relative_to(settings.MEDIA_ROOT)
        assert not Path(document.file.path).is_relative_to(settings.BASE_DIR / "media")
        assert not any(settings.MEDIA_ROOT.rglob("compte-rendu*"))
        assert_only_the_board_reads(client, team, document)
    finally:
        document.file.delete(save=False)


def assert_only_the_board_reads(client, team, document):
    # Wagtail's view checks the collection's restriction
    assert client.get(document.url).status_code == 200
    client.logout()
    assert client.get(document.url).status_code in (302, 403)
    assert b"compte rendu" not in client.get(document.url, follow=True).content
    client.force_login(team["alice"])  # a merchant is not on the board
    assert b"compte rendu" not in client.get(document.url, follow=True).content


def manage(*args, **env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "townmarket.settings.production", **env}
    environment.pop("DATABASE_URL", None)
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for their own process
    return subprocess.run([sys.executable, "manage.py", *args], capture_output=True, text=True,
                          cwd=settings.BASE_DIR, env=environment, timeout=120)


STRONG_KEY = "k3y-" + "".join(chr(ord("a") + (n * 7) % 26) + str(n % 10) for n in range(30))


def test_production_with_https_passes_the_deploy_checks():
    done = manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=STRONG_KEY, HTTPS="1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.parametrize("key", ["", "secret", "dev-only-insecure-key-do-not-use-in-production",
                                 "django-insecure-" + "x" * 60])
def test_production_refuses_to_start_with_a_weak_secret_key(key):
    done = manage("check", SECRET_KEY=key)
    assert done.returncode != 0
    assert "SECRET_KEY manque ou est trop faible" in done.stderr
