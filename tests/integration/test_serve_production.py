"""`make serve-production` (site/deploy/serve_production.sh): migrations, cache table,
static files, the task worker and gunicorn under production settings; SIGTERM stops
both cleanly."""
import os
import signal
import subprocess
import time

import pytest
import requests
from django.db import connection

from tests.integration.test_production_start import ROOT, free_port, production_env


def database_url():
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return (f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}")


@pytest.mark.django_db(transaction=True)
def test_serve_production_collects_static_files_and_serves_with_its_worker(tmp_path):
    port = free_port()
    static = tmp_path / "static"
    log = open(tmp_path / "serve.log", "w+")
    script = subprocess.Popen(
        ["bash", "site/deploy/serve_production.sh"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
        env=production_env(tmp_path, DATABASE_URL=database_url(), STATIC_ROOT=str(static),
                           GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1",
                           EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        health = None
        while time.monotonic() < deadline and script.poll() is None:
            try:
                health = requests.get(f"{base}/healthz", timeout=10)
                break
            except (requests.ConnectionError, requests.Timeout):  # not listening, or the worker still booting
                time.sleep(0.5)
        log.seek(0)
        assert health is not None and health.status_code == 200, log.read()
        assert health.text.startswith("ok")
        assert (static / "staticfiles.json").exists()
        css = requests.get(f"{base}/static/css/town.css", timeout=5)  # whitenoise, from STATIC_ROOT
        assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")
        workers = subprocess.run(["pgrep", "-s", str(script.pid), "-f", "db_worker"], capture_output=True, text=True)
        assert workers.stdout.split(), "no task worker beside gunicorn"

        script.send_signal(signal.SIGTERM)
        assert script.wait(timeout=60) == 0
        left = subprocess.run(["pgrep", "-s", str(script.pid)], capture_output=True, text=True)
        assert not left.stdout.split(), "a process of serve-production outlived it"
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
            script.wait()
        log.close()
