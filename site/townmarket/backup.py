"""Back up and restore a town: the database and the files (README, "Backups").

A backup is one folder:
- `database.sqlite3` (SQLite's online backup API: consistent while the site runs) or
  `database.pgdump` (`pg_dump --format=custom`, one consistent snapshot);
- `media.tar.gz` and `private.tar.gz`: the public and the private files, when they are
  on the local disk (object storage keeps its own versions: README);
- `manifest.json`: when, which engine, and the counts a restored copy must show.

`check_town` opens a database and counts what a town is made of; given a manifest it
says whether the copy matches.
"""
import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
FILE_ARCHIVES = {"default": "media.tar.gz", "private": "private.tar.gz"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in French."""


def town_counts():
    """What a town is made of, as numbers a restored copy must show again."""
    from django.contrib.auth import get_user_model
    from oscar.core.loading import get_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    from shops_pages.models import ShopPage

    models = {
        "shops": ShopPage.objects,
        "products": get_model("catalogue", "Product").objects,
        "orders": get_model("order", "Order").objects,
        "order_lines": get_model("order", "Line").objects,
        "pages": Page.objects,
        "users": get_user_model().objects,
        "images": get_image_model().objects,
    }
    return {name: manager.count() for name, manager in models.items()}


def missing_image_files():
    """Pictures whose file the storage no longer has (files not restored)."""
    from wagtail.images import get_image_model

    storage = storages["default"]
    return sum(1 for name in get_image_model().objects.values_list("file", flat=True) if not storage.exists(name))


def engine():
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Base de données « {vendor} » non prise en charge (SQLite ou PostgreSQL).")
    return vendor


def _pg_command(program, *args, database=None):
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    command = [program, "--no-password"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command += [option, str(db[key])]
    command += [*args, "--dbname", database or db["NAME"]]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{program} a échoué : {result.stderr.strip()[:2000]}")


def _local_storage_root(alias):
    storage = storages[alias]
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def back_up(folder):
    """Write a backup of the current database and local files into `folder` (created)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=False)
    vendor = engine()
    if vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(folder / SQLITE_FILE) as target:
            connection.connection.backup(target)
        target.close()
    else:
        _pg_command("pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(folder / PG_FILE))
    archived = {}
    for alias, archive in FILE_ARCHIVES.items():
        root = _local_storage_root(alias)
        if root is None:
            archived[alias] = "object storage: not copied (README, Backups)"
            continue
        with tarfile.open(folder / archive, "w:gz") as tar:
            if root.exists():
                tar.add(root, arcname=".")
        archived[alias] = archive
    manifest = {"created_at": dt.datetime.now(dt.timezone.utc).isoformat(), "engine": vendor,
                "counts": town_counts(), "files": archived}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest


def read_manifest(folder):
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise BackupError(f"Pas de {MANIFEST} dans {folder} : ce dossier n'est pas une sauvegarde.")
    return json.loads(path.read_text())


def _database_is_empty():
    return not connection.introspection.table_names()


def restore(folder, *, replace=False):
    """Restore the backup in `folder` into the configured database and storages.

    Refuses a database that already holds tables unless `replace` (stop the servers
    first: a restore replaces everything)."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    vendor = engine()
    if manifest["engine"] != vendor:
        raise BackupError(f"Sauvegarde {manifest['engine']}, base configurée {vendor} : "
                          "restaurez dans une base du même type.")
    if not replace and not _database_is_empty():
        raise BackupError("La base de données n'est pas vide : ajoutez --replace pour l'écraser "
                          "(arrêtez d'abord le site).")
    if vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(folder / SQLITE_FILE) as source:
            source.backup(connection.connection)
        source.close()
    else:
        options = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if replace:
            options += ["--clean", "--if-exists"]
        connection.close()  # pg_restore must not wait on our own open transaction
        _pg_command("pg_restore", *options, str(folder / PG_FILE))
    for alias, archive in FILE_ARCHIVES.items():
        root = _local_storage_root(alias)
        if root is None or not (folder / archive).is_file():
            continue
        if replace and root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / archive, "r:gz") as tar:
            tar.extractall(root, filter="data")
    return manifest


def compare(expected, found):
    """The counts that differ: {name: (expected, found)}."""
    return {name: (count, found.get(name)) for name, count in expected.items() if found.get(name) != count}
