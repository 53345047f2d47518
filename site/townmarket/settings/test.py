"""Test settings: fast hasher, in-memory e-mail, plain static storage."""
from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = "test-secret-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# E-mails straight to Django's test outbox, tasks run at once; the outbox and the
# worker are tested on their own (tests/integration/test_outbox.py) with the real ones.
EMAIL_BACKEND = OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": BASE_DIR / "private" / "test", "base_url": None}},  # noqa: F405
}
# Pages in each process's memory: no SQL of their own in the query counts (tests/conftest.py
# empties it before each test); tests/integration/test_page_cache.py also runs the database's.
CACHES["pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}  # noqa: F405
MEDIA_ROOT = BASE_DIR / "media" / "test"  # noqa: F405
ALLOWED_HOSTS = ["*"]
# A file, so `pytest --reuse-db` can skip the ~300 migrations between local runs.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # TEST_SQLITE_NAME lets two checkouts (or two people) run tests side by side.
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_SQLITE_NAME", str(BASE_DIR / "test_db.sqlite3"))}  # noqa: F405
