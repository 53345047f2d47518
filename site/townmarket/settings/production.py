"""Production: everything sensitive comes from the environment; no default secret.

HTTPS=1 (the site is served over TLS, by gunicorn behind a proxy that terminates it)
switches on every HTTPS setting at once: redirect to https, HSTS, secure cookies, and
trusting the proxy's X-Forwarded-Proto. Each can be overridden (README, "Security")."""
from django.core.checks.security.base import _check_secret_key
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env_bool

if not _check_secret_key(SECRET_KEY):  # noqa: F405
    raise ImproperlyConfigured(
        "SECRET_KEY manque ou est trop faible : donnez au moins 50 caractères aléatoires "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))'). / SECRET_KEY is missing or weak.")

HTTPS = env_bool("HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0))  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = OSCAR_BASKET_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
