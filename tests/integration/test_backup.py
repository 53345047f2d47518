"""A town is backed up while it runs, restored into a fresh database and fresh file
folders by another process, and the restored copy shows every count again."""
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from tests import factories
from tests.integration.helpers import place_order
from townmarket import backup

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "DJANGO_SETTINGS_MODULE": "townmarket.settings.dev",
                                            "SECRET_KEY": "restore-check-" + "x" * 50, **env})


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database of the engine the tests run on, as a DATABASE_URL."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"restored_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                            password=db["PASSWORD"] or None, dbname="postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.django_db(transaction=True)
def test_the_demo_town_restored_into_a_fresh_database_shows_every_count(tmp_path, fresh_database, client):
    call_command("load_demo_town", verbosity=0)
    place_order_for_the_backup(client)
    before = backup.town_counts()
    assert before["shops"] >= 20 and before["products"] >= 740 and before["orders"] == 1

    call_command("backup_town", "--output", str(tmp_path / "backups"), verbosity=0)
    (folder,) = (tmp_path / "backups").iterdir()
    env = {"DATABASE_URL": fresh_database, "MEDIA_ROOT": str(tmp_path / "restored-media"),
           "PRIVATE_MEDIA_ROOT": str(tmp_path / "restored-private")}

    restored = manage("restore_town", str(folder), env=env)
    assert restored.returncode == 0, restored.stderr
    assert "les comptes correspondent" in restored.stdout

    checked = manage("check_town", "--backup", str(folder), env=env)
    assert checked.returncode == 0, checked.stderr
    shown = dict(line.split(": ") for line in checked.stdout.splitlines() if ": " in line)
    assert {name: int(count) for name, count in shown.items()} == before  # counted by the restored copy itself
    assert any((tmp_path / "restored-media").rglob("*.jpg"))

    # A second restore over the now-filled database is refused, nothing touched.
    again = manage("restore_town", str(folder), env=env)
    assert again.returncode != 0 and "n'est pas vide" in again.stderr

    # A copy that lost an order is told apart (orders cannot be deleted once invoiced: the
    # manifest says one more than the copy holds).
    call_command("backup_town", "--output", str(tmp_path / "short"), verbosity=0)
    (short,) = (tmp_path / "short").iterdir()
    manifest = json.loads((short / "manifest.json").read_text())
    manifest["counts"]["orders"] += 1
    (short / "manifest.json").write_text(json.dumps(manifest))
    mismatch = manage("restore_town", str(short), "--replace", env=env)
    assert mismatch.returncode != 0 and "orders attendu 2, trouvé 1" in mismatch.stderr


def place_order_for_the_backup(client):
    from shops_pages.models import ShopPage

    shop = ShopPage.objects.live().order_by("pk").first()
    client.defaults["HTTP_HOST"] = f"{shop.partner.town.hostname}:{shop.partner.town.port}"  # the demo has two towns
    place_order(client, [(factories.product(shop, title="Sauvegardé", price="3.20", stock=4), 1)])


def test_check_town_refuses_a_folder_that_is_not_a_backup(tmp_path, db):
    with pytest.raises(Exception, match="n'est pas une sauvegarde"):
        call_command("check_town", "--backup", str(tmp_path), verbosity=0)
