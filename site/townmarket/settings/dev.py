"""Local development: `make run`. DEBUG on, a throw-away secret, e-mails on the console."""
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env_bool, env_list

DEBUG = env_bool("DEBUG", True)
if not SECRET_KEY:  # noqa: F405
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
OUTBOX_DELIVERY_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")  # noqa: F405
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
# Each town on its own host name: val-sur-ouche.localhost, … resolve to 127.0.0.1.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,.localhost")
