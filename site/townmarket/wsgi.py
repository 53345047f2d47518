"""WSGI entry point (gunicorn townmarket.wsgi, with `site/` and the repository root on the path).

The application is not created until the environment reads well (settings/base.py
names a bad variable) and the static files are collected: without them every page
would answer 500, so the start fails instead (gunicorn then stops: its worker could
not boot)."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
for path in (str(ROOT), str(ROOT / "site")):
    if path not in sys.path:
        sys.path.insert(0, path)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townmarket.settings.production")

from django.core.exceptions import ImproperlyConfigured  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402


def check_static_files_collected():
    from django.conf import settings
    from django.contrib.staticfiles.storage import ManifestFilesMixin
    from django.core.files.storage import storages

    if settings.DEBUG:  # `runserver` in development serves them from the apps' folders
        return
    storage = storages["staticfiles"]
    # Only a manifest storage (production's) turns missing files into 500s: {% static %}
    # raises for a name missing from staticfiles.json.
    if isinstance(storage, ManifestFilesMixin) and storage.read_manifest() is None:
        raise ImproperlyConfigured(
            f"Les fichiers statiques ne sont pas collectés dans {settings.STATIC_ROOT} : lancez "
            "`manage.py collectstatic --no-input` (make serve-production le fait). / Static files are not "
            "collected: run `manage.py collectstatic`.")


application = get_wsgi_application()
check_static_files_collected()
