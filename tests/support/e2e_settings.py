"""Settings of the real processes (gunicorn, the task worker) that the end-to-end test
starts (tests/integration/test_outbox_end_to_end.py): the test settings, with e-mails
through the outbox as in production, delivered over SMTP to the test's sink, on the
test's own PostgreSQL database (E2E_DATABASE_NAME), retried after a second instead of
a minute."""
import os

from townmarket.settings.test import *  # noqa: F401,F403
from townmarket.settings.test import DATABASES

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
EMAIL_BACKEND = "townmarket.outbox.OutboxBackend"
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ["E2E_EMAIL_HOST"]
EMAIL_PORT = int(os.environ["E2E_EMAIL_PORT"])
EMAIL_TIMEOUT = 2
EMAIL_USE_TLS = False
EMAIL_HOST_USER = EMAIL_HOST_PASSWORD = ""
OUTBOX_RETRY_SECONDS = 1
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DATABASES["default"]["NAME"] = os.environ["E2E_DATABASE_NAME"]
