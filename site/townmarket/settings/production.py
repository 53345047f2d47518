"""Production: everything sensitive comes from the environment; no default secret.

HTTPS=1 (the site is served over TLS, by gunicorn behind a proxy that terminates it)
switches on every HTTPS setting at once: redirect to https, HSTS, secure cookies, and
trusting the proxy's X-Forwarded-Proto. Each can be overridden (README, "Security")."""
from django.core.checks.security.base import _check_secret_key
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env_bool, env_float, env_int

if not _check_secret_key(SECRET_KEY):  # noqa: F405
    raise ImproperlyConfigured(
        "SECRET_KEY manque ou est trop faible : donnez au moins 50 caractères aléatoires "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))'). / SECRET_KEY is missing or weak.")

HTTPS = env_bool("HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = OSCAR_BASKET_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)

# --- Database: one connection per worker, kept (a new PostgreSQL connection per request
# halved the pages served), checked before reuse so a restarted server is no 500.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# --- Caches: shared by every worker and server ---------------------------------------
# Several gunicorn workers must not each keep their own copy of Wagtail's site-root
# paths or Oscar's caches: without Redis, "default" is the database table too.
if REDIS_URL:  # noqa: F405
    # A Redis that does not answer at start is a wrong REDIS_URL: say so now (later
    # outages only make pages slower, see townmarket.cache).
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()  # noqa: F405
    except (ValueError, redis.RedisError) as error:
        raise ImproperlyConfigured(
            f"REDIS_URL ne répond pas ({error}) ; exemple : redis://127.0.0.1:6379/0, ou videz REDIS_URL pour "
            "garder le cache dans la base de données. / REDIS_URL does not answer.") from None
else:
    CACHES["default"] = CACHES["shared"]  # noqa: F405

# --- Error reporting: ADMINS by e-mail (base.py), and Sentry when SENTRY_DSN is set -----
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()  # noqa: F405
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.utils import BadDsn

    try:
        sentry_sdk.init(dsn=SENTRY_DSN, send_default_pii=False,  # no address, cookie or user in reports
                        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),  # noqa: F405
                        traces_sample_rate=env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0))  # noqa: F405
    except BadDsn as error:
        raise ImproperlyConfigured(f"SENTRY_DSN ne se lit pas ({error}). / SENTRY_DSN is malformed.") from None
