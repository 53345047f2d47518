"""Starting in production: a wrong environment variable or forgotten static files stop
the start with a message naming the cause, never a site answering 500 on every page.

Each case runs Django in a subprocess under townmarket.settings.production, as
gunicorn or `manage.py` would."""
import json
import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Variables of the machine running the tests that would change what is checked.
CLEARED = ("DATABASE_URL", "REDIS_URL", "CONN_MAX_AGE", "TRUSTED_PROXY_COUNT", "ADMINS", "SENTRY_DSN",
           "STATIC_ROOT", "EMAIL_PORT", "HTTPS")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(tmp_path, **variables):
    env = {name: value for name, value in os.environ.items()
           if name not in CLEARED and not name.startswith("S3_")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "townmarket.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PYTHONPATH": f"{ROOT / 'site'}{os.pathsep}{ROOT}",
    })
    env.update(variables)
    return env


def manage(tmp_path, *args, **variables):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=production_env(tmp_path, **variables),
                          capture_output=True, text=True, timeout=120)


def test_a_sound_environment_starts(tmp_path):
    """The control case: the same command with good values passes."""
    result = manage(tmp_path, "check", CONN_MAX_AGE="60", TRUSTED_PROXY_COUNT="1",
                    ADMINS="Équipe technique <tech@example.fr>, ops@example.fr")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("variable", "value"), [
    ("DATABASE_URL", "nimportequoi"),
    ("DATABASE_URL", "postgres://marche@db.example.fr:cinq/marche"),
    ("CONN_MAX_AGE", "soixante"),
    ("TRUSTED_PROXY_COUNT", "1.5"),
    ("EMAIL_PORT", ""),
    ("ADMINS", "Équipe technique <pas-une-adresse>"),
    ("S3_BUCKET", ""),  # S3 asked for with an empty bucket name
    ("S3_ENDPOINT_URL", "https://s3.fr-par.scw.cloud"),  # S3 asked for, no bucket at all: S3_BUCKET is named
    ("REDIS_URL", "pas-une-url"),
    ("REDIS_URL", "redis://127.0.0.1:{free_port}/0"),  # nobody answers there
])
def test_a_bad_variable_stops_the_start_naming_it(tmp_path, variable, value):
    result = manage(tmp_path, "check", **{variable: value.format(free_port=free_port())})
    assert result.returncode != 0
    assert ("S3_BUCKET" if variable.startswith("S3_") else variable) in result.stderr
    assert "Traceback" not in result.stderr, result.stderr


def test_without_collected_static_files_the_wsgi_application_does_not_start(tmp_path):
    empty = tmp_path / "static"
    empty.mkdir()
    result = subprocess.run([sys.executable, "-c", "import townmarket.wsgi"], cwd=ROOT,
                            env=production_env(tmp_path, STATIC_ROOT=str(empty)),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "Les fichiers statiques ne sont pas collectés" in result.stderr
    assert "collectstatic" in result.stderr


def test_in_development_runserver_needs_no_collected_static_files(tmp_path):
    """`make run` (settings.dev, DEBUG on) imports the same WSGI module."""
    empty = tmp_path / "static"
    empty.mkdir()
    result = subprocess.run([sys.executable, "-c", "import townmarket.wsgi"], cwd=ROOT,
                            env=production_env(tmp_path, STATIC_ROOT=str(empty),
                                               DJANGO_SETTINGS_MODULE="townmarket.settings.dev"),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_gunicorn_stops_at_once_without_static_files_instead_of_answering_500(tmp_path):
    """gunicorn's master gives up when its workers cannot boot, rather than respawning them."""
    empty = tmp_path / "static"
    empty.mkdir()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT,
                              env=production_env(tmp_path, STATIC_ROOT=str(empty), GUNICORN_WORKERS="1",
                                                 GUNICORN_BIND=f"127.0.0.1:{free_port()}"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _, stderr = server.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.communicate()
        pytest.fail("gunicorn still running after 60 s without static files")
    assert server.returncode != 0
    assert "Les fichiers statiques ne sont pas collectés" in stderr


def test_sentry_is_set_up_only_with_a_dsn_and_sends_no_personal_data(tmp_path):
    probe = ("import django; django.setup(); import sentry_sdk; client = sentry_sdk.get_client(); "
             "print(client.is_active(), client.options.get('send_default_pii'))")
    def run(**variables):
        return subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=production_env(tmp_path, **variables),
                              capture_output=True, text=True, timeout=120)
    assert run().stdout.split() == ["False", "None"]
    assert run(SENTRY_DSN="https://cle@sentry.example.fr/42").stdout.split() == ["True", "False"]
    bad = run(SENTRY_DSN="pas-un-dsn")
    assert bad.returncode != 0 and "SENTRY_DSN" in bad.stderr


def production_settings(tmp_path, **variables):
    probe = ("import json; from django.conf import settings as s; print(json.dumps({'caches': {a: c['BACKEND'] "
             "for a, c in s.CACHES.items()}, 'sessions': s.SESSION_ENGINE}))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=production_env(tmp_path, **variables),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_redis_every_gunicorn_worker_shares_the_database_cache(tmp_path):
    """Wagtail's site-root paths and Oscar's caches in "default" must not be one copy per worker."""
    assert production_settings(tmp_path) == {
        "caches": {"default": "django.core.cache.backends.db.DatabaseCache",
                   "shared": "django.core.cache.backends.db.DatabaseCache",
                   "pages": "django.core.cache.backends.db.DatabaseCache"},  # its own table (townmarket.page_cache)
        "sessions": "django.contrib.sessions.backends.db"}


def test_with_redis_caches_are_redis_and_sessions_also_kept_in_the_database(tmp_path):
    probe = socket.socket()
    if probe.connect_ex(("127.0.0.1", 6379)) != 0:
        pytest.skip("no Redis on 127.0.0.1:6379")
    probe.close()
    assert production_settings(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0") == {
        "caches": {"default": "townmarket.cache.ResilientRedisCache", "shared": "townmarket.cache.ResilientRedisCache",
                   "pages": "townmarket.cache.ResilientRedisCache"},
        "sessions": "django.contrib.sessions.backends.cached_db"}


def database_connection_settings(tmp_path, **variables):
    probe = ("import json; from django.conf import settings as s; d = s.DATABASES['default']; "
             "print(json.dumps([d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS']]))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=production_env(tmp_path, **variables),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_keeps_database_connections_and_checks_them_before_reuse(tmp_path):
    """A new PostgreSQL connection per request halved the pages served (issue 19); a kept
    connection that the server closed meanwhile must not become a 500."""
    assert database_connection_settings(tmp_path) == [60, True]
    assert database_connection_settings(tmp_path, CONN_MAX_AGE="0") == [0, True]
