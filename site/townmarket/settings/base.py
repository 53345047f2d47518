"""Settings shared by every environment. Values that differ per machine come from
the environment (DJANGO_-free names, as documented in the README)."""
import datetime
import os
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.urls import reverse_lazy
from oscar.defaults import *  # noqa: F401,F403  Oscar's OSCAR_* defaults

from oscar_apps.order.statuses import OrderStatus

PROJECT_DIR = Path(__file__).resolve().parent.parent  # site/townmarket
SITE_DIR = PROJECT_DIR.parent  # site/
BASE_DIR = SITE_DIR.parent  # repository root


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    """An integer from the environment; anything else stops the start naming the variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} doit être un nombre entier, pas {value!r}. / {name} must be an integer.") from None


def env_float(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return float(value.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} doit être un nombre (par exemple 8 ou 0.5), pas {value!r}. / {name} must be a number.") from None


def env_addresses(name):
    """ "Nom <a@b.fr>, c@d.fr" -> [("Nom", "a@b.fr"), ("", "c@d.fr")] (Django's ADMINS)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return []
    addresses = [(display, address) for display, address in getaddresses([value]) if display or address]
    try:
        if not addresses:
            raise ValidationError("empty")
        for _display, address in addresses:
            validate_email(address)
    except ValidationError:
        raise ImproperlyConfigured(
            f"{name} : adresses mal écrites ({value!r}) ; écrivez « Nom <adresse@exemple.fr>, autre@exemple.fr ». "
            f"/ {name} holds a malformed address.") from None
    return addresses


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # /sitemap.xml (townmarket.seo), with wagtail.contrib.sitemaps
]

WAGTAIL_APPS = [
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "townmarket.wagtail_users_app.UsersAppConfig",  # Wagtail's Users pages, one e-mail per account
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.admin",
    "wagtail",
    "modelsearch",  # Wagtail 8's search: image/document uploads and admin searches need it
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
]

# Oscar's apps; the ones forked in oscar_apps/ replace their stock counterpart.
OSCAR_APPS = [
    "oscar.config.Shop",
    "townmarket.quiet_analytics.QuietAnalyticsConfig",  # Oscar's, counting nothing (no write on a GET)
    "oscar_apps.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "oscar_apps.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "oscar_apps.partner.apps.PartnerConfig",
    "oscar_apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar_apps.order.apps.OrderConfig",
    "oscar_apps.customer.apps.CustomerConfig",
    # haystack before Oscar's search so its update_index wins (STACK-NOTES);
    # the catalogue does not use haystack at all (see oscar_apps/catalogue).
    "haystack",
    "oscar.apps.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "oscar.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "django_tables2",
    "sorl.thumbnail",
    "treebeard",
]

LOCAL_APPS = [
    "django_tasks",
    "django_tasks_db",  # the task queue in the database (e-mail outbox, Wagtail's tasks)
    "axes",  # login brute-force protection (README, "Security")
    "csp",
    "townmarket",
    "shops_pages",
    "storefront_search",  # the catalogue's search engine (README, "Search")
    "backoffice",  # after the apps whose permissions its roles grant
    "invoicing",  # each shop's invoices and credit notes (site/invoicing)
]

# Plugins register themselves through townmarket.extensions in their AppConfig.ready();
# removing one from this list leaves a working store (README, "Architecture").
# Set TOWNMARKET_PLUGINS="" to run the bare store (click & collect, pay at pickup).
PLUGIN_APPS = env_list("TOWNMARKET_PLUGINS", "plugins.local_delivery,plugins.payments,plugins.gift_cards")

INSTALLED_APPS = DJANGO_APPS + WAGTAIL_APPS + OSCAR_APPS + LOCAL_APPS + PLUGIN_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "townmarket.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "townmarket.unknown_host.UnknownHostMiddleware",  # several towns: a host of none goes to the default town
    "townmarket.page_cache.PageCacheMiddleware",  # anonymous visitors' pages (README, "Caching")
    "django.contrib.sessions.middleware.SessionMiddleware",
    "townmarket.middleware.CookieLocaleMiddleware",
    "townmarket.nul_bytes.RejectNulBytesMiddleware",  # a NUL in a request: 400, never a database error
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "townmarket.middleware.EmailSendingFormsRateLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar_apps.basket.middleware.BasketMiddleware",
    "townmarket.middleware.BasketVisitorPageCacheMiddleware",  # pages for visitors with a basket (README, "Caching")
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "townmarket.urls"
WSGI_APPLICATION = "townmarket.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.core.context_processors.metadata",
                "townmarket.context_processors.marketplace",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# DATABASE_URL (postgres://… or sqlite:///…); the default is an SQLite file in WAL
# mode with IMMEDIATE transactions and a busy timeout, so concurrent writers wait for
# each other instead of failing with "database is locked".
DEFAULT_SQLITE_PATH = BASE_DIR / "db.sqlite3"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}"),
            conn_max_age=env_int("CONN_MAX_AGE", 0),  # seconds a connection is kept (production: 60)
        )
    }
except ValueError as error:  # dj_database_url.ParseError, UnknownSchemeError
    raise ImproperlyConfigured(
        f"DATABASE_URL ne se lit pas ({error}) ; exemple : postgres://marche:motdepasse@127.0.0.1:5432/marche "
        "ou sqlite:////srv/marche/db.sqlite3. / DATABASE_URL is malformed.") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out visitors
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = reverse_lazy("customer:login")
LOGIN_REDIRECT_URL = "/"

# --- Language, time, money ------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [SITE_DIR / "locale"]
OSCAR_DEFAULT_CURRENCY = "EUR"
OSCAR_CURRENCY_FORMAT = {"EUR": {"currency_digits": True, "format_type": "standard"}}

# --- Static and media -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))  # filled by collectstatic
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Files nobody may fetch by URL (import uploads, documents of private collections):
# a folder outside MEDIA_ROOT that no URL maps to (README, "Security").
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Media on S3-compatible object storage (django-storages) when S3_BUCKET is set, so
# every app server sees the same files; MEDIA_ROOT on the local disk otherwise.
# Private files (STORAGES["private"]) go to S3_PRIVATE_BUCKET, by default the same
# bucket under private/: only media/ may be public (README, "Deploy"); they are read
# by the app servers or through URLs signed for 5 minutes.
S3_VARIABLES = ("S3_BUCKET", "S3_PRIVATE_BUCKET", "S3_ENDPOINT_URL", "S3_REGION", "S3_ACCESS_KEY_ID",
                "S3_SECRET_ACCESS_KEY", "S3_PUBLIC_URL", "S3_ADDRESSING_STYLE", "S3_MEDIA_ACL")
S3_BUCKET = os.environ.get("S3_BUCKET", "").strip()
if not S3_BUCKET and any(name in os.environ for name in S3_VARIABLES):
    raise ImproperlyConfigured(
        "S3_BUCKET est vide alors que des variables S3_… sont données : nommez le compartiment (bucket) "
        "des médias, ou retirez les variables S3_… pour garder les médias sur le disque. / S3_BUCKET is empty.")
if S3_BUCKET:
    S3_PUBLIC_URL = urlsplit(os.environ.get("S3_PUBLIC_URL", "").strip())  # https://medias.example.fr
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL", "").strip()
    S3_REGION = os.environ.get("S3_REGION", "").strip()
    s3_common = {
        "endpoint_url": S3_ENDPOINT_URL or None, "region_name": S3_REGION or None,
        "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,  # "path" or "virtual"
        "file_overwrite": False,  # two uploads of photo.jpg stay two files
    }
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        **s3_common, "bucket_name": S3_BUCKET, "location": "media", "querystring_auth": False,
        "custom_domain": (S3_PUBLIC_URL.netloc + S3_PUBLIC_URL.path.rstrip("/")) or None,
        # Each file readable by all; empty for a bucket without ACLs and a public-read policy on media/*.
        "default_acl": os.environ.get("S3_MEDIA_ACL", "public-read") or None,
        "url_protocol": f"{S3_PUBLIC_URL.scheme or 'https'}:",
    }}
    STORAGES["private"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        **s3_common, "bucket_name": os.environ.get("S3_PRIVATE_BUCKET", "").strip() or S3_BUCKET,
        "location": "private", "default_acl": "private", "querystring_auth": True, "querystring_expire": 300,
    }}
    # The public media's origin, for the Content-Security-Policy's img-src.
    if S3_PUBLIC_URL.netloc:
        MEDIA_ORIGIN = f"{S3_PUBLIC_URL.scheme or 'https'}://{S3_PUBLIC_URL.netloc}"
    elif S3_ENDPOINT_URL:
        endpoint = urlsplit(S3_ENDPOINT_URL)
        MEDIA_ORIGIN = f"{endpoint.scheme}://{endpoint.netloc}"
        if os.environ.get("S3_ADDRESSING_STYLE") == "virtual":
            MEDIA_ORIGIN = f"{endpoint.scheme}://{S3_BUCKET}.{endpoint.netloc}"
    else:  # Amazon S3 itself
        MEDIA_ORIGIN = f"https://{S3_BUCKET}.s3.{S3_REGION or 'us-east-1'}.amazonaws.com https://{S3_BUCKET}.s3.amazonaws.com"
else:
    MEDIA_ORIGIN = ""

# --- E-mail ---------------------------------------------------------------------
# Every e-mail goes through the outbox (townmarket.outbox): recorded with the change
# that causes it, delivered by the task worker through OUTBOX_DELIVERY_BACKEND.
EMAIL_BACKEND = "townmarket.outbox.OutboxBackend"
OUTBOX_DELIVERY_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
OUTBOX_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 10)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)  # seconds; only the worker waits on SMTP
OUTBOX_RETRY_SECONDS = env_int("EMAIL_RETRY_SECONDS", 60)  # first retry; doubles up to an hour
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Le marché de Val-sur-Ouche <bonjour@example.org>")
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks ---------------------------------------------------------------
# django-tasks with its database backend (django-tasks-db): a task enqueued inside a
# transaction is a row of that transaction. `manage.py db_worker` runs them (make run
# starts one beside the web server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Wagtail --------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Le marché de Val-sur-Ouche"
# Empty: every absolute link, Wagtail's e-mails' too, is the Wagtail Site's address
# (Settings > Sites; townmarket.absolute_urls, wired into Wagtail in townmarket/apps.py).
WAGTAILADMIN_BASE_URL = ""
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Wagtail 8's search framework. "storefront" indexes the catalogue's search documents
# (storefront_search): the database's full-text search by default (SQLite FTS5 or
# PostgreSQL), or, for a large install, SEARCH_BACKEND=modelsearch.backends.opensearch2
# (or elasticsearch8) with SEARCH_URLS=https://host:9200 and SEARCH_INDEX_PREFIX.
MODELSEARCH_BACKENDS = {
    "default": {"BACKEND": "modelsearch.backends.database"},
    "storefront": {
        "BACKEND": os.environ.get("SEARCH_BACKEND", "storefront_search.backends"),
        "AUTO_UPDATE": False,
        "SEARCH_CONFIG": "simple",  # the words are already stemmed (storefront_search.text)
        "INDEX_PREFIX": os.environ.get("SEARCH_INDEX_PREFIX", "townmarket_"),
        **({"URLS": env_list("SEARCH_URLS")} if env_list("SEARCH_URLS") else {}),
    },
}
SEARCH_MAX_RESULTS = env_int("SEARCH_MAX_RESULTS", 1000)  # products ranked per query; the rest are not shown
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 8 * 1024 * 1024
# Documents live in the private storage and are served through Wagtail's view, which
# checks the collection's privacy (README, "Security").
WAGTAILDOCS_DOCUMENT_MODEL = "townmarket.PrivateDocument"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "townmarket.admin_account.AdminPasswordResetForm"  # link to the Site, not the Host header
# The admin account's e-mail is changed in townmarket.admin_account's panel, which
# refuses an address another account has.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Draftail, with content too deeply nested to read answered as a form error, not a 500.
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "townmarket.rich_text.DraftailEditor"}}  # nothing is fetched from another site (privacy, CSP)
SITE_ID = 1

# --- Oscar ----------------------------------------------------------------------
# The shop's name (Oscar's `shop_name`) is the town's: TownSettings, via townmarket.context_processors.
OSCAR_HOMEPAGE = "/"
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "last_name", "line1", "line4", "postcode", "country")
OSCAR_PRODUCTS_PER_PAGE = 24
# No reviews or wish lists: nobody moderates reviews, and the account menu offers only
# what works (orders, addresses, profile).
OSCAR_HIDDEN_FEATURES = ["reviews", "wishlists"]
# Statuses live in oscar_apps/order/statuses.py; Order and Line carry no Oscar pipeline
# (only the checkout, awaiting_payment and the workflow move an order).
OSCAR_INITIAL_ORDER_STATUS = OrderStatus.PLACED.value
OSCAR_INITIAL_LINE_STATUS = OrderStatus.PLACED.value
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"
# Product thumbnails (oscar_apps/catalogue/thumbnails.py) in the media storage as configured
# (the disk or the object storage with its bucket), not one sorl builds without options.
THUMBNAIL_STORAGE = "oscar_apps.catalogue.thumbnails.MediaStorage"
# Haystack is required by Oscar's search app; the catalogue itself queries the ORM.
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# --- Online payment (plugins.payments) --------------------------------------------
# Secrets only from the environment; card payment is offered only when both are set.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")  # empty: Stripe itself
STRIPE_TIMEOUT = env_float("STRIPE_TIMEOUT", 8)  # 8 s x 2 tries fits gunicorn's 30 s (gunicorn.conf.py)
STRIPE_MAX_NETWORK_RETRIES = env_int("STRIPE_MAX_NETWORK_RETRIES", 1)
# Orders still awaiting their online payment after this long are settled by
# `manage.py expire_waiting_payments` (Stripe's sessions last 30 minutes).
PAYMENT_WAIT_MINUTES = env_int("PAYMENT_WAIT_MINUTES", 45)


# --- Security (README, "Security") -------------------------------------------------
# How many reverse proxies stand in front of the app servers and append to
# X-Forwarded-For: 0 when gunicorn faces the visitors, 1 behind one nginx or load balancer.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Caches: rate limits count in "shared", a store every worker and server sees: Redis
# when REDIS_URL is set, else a table in the database (`manage.py createcachetable`),
# never a process's memory. Django's, Wagtail's and Oscar's own caches ("default") are
# in Redis too; without it, in production, in the same table (production.py: several
# gunicorn workers must see one copy), and in each process's memory only in
# development and tests.
# Redis goes through Django's own RedisCache (townmarket.cache: when Redis stops
# answering within REDIS_TIMEOUT seconds, pages go on as on a cache miss, slower, never
# a 500); sessions then live in the database and in Redis (cached_db), so an outage
# loses none. Give the marketplace a Redis database number of its own (…:6379/3).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
REDIS_TIMEOUT = env_float("REDIS_TIMEOUT", 0.5)
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "townmarket.cache.ResilientRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT}}}
    CACHES["shared"] = CACHES["default"]
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
              "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "townmarket_cache"}}
# Whole pages for anonymous visitors (townmarket.page_cache): in Redis beside the rest,
# else in a table of their own, so that culling pages never drops a rate limit's count.
CACHES["pages"] = CACHES["default"] if REDIS_URL else {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "townmarket_page_cache",
    "OPTIONS": {"MAX_ENTRIES": 5000}}
# How long a stored page lasts at most (any change to what it shows drops it at once); 0: no page cache.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# A form of a cached page posted without JavaScript: asked again with a token (page_cache).
CSRF_FAILURE_VIEW = "townmarket.page_cache.csrf_failure"

# django-ratelimit (townmarket.ratelimit): counted in the shared store, by client_ip().
RATELIMIT_USE_CACHE = "shared"
RATELIMIT_IP_META_KEY = "townmarket.ratelimit.client_ip"
# While the shared cache does not answer, rate limits let visitors through (fail open):
# a Redis outage must not close the shop. Login lockouts are not affected: django-axes
# counts in the database.
RATELIMIT_FAIL_OPEN = True
# Password-reset and registration e-mails: per address and per e-mail typed.
PASSWORD_RESET_LIMIT_PER_HOUR = env_int("PASSWORD_RESET_LIMIT_PER_HOUR", 5)

# Personal data (townmarket.personal_data): `manage.py purge_personal_data`, each night,
# deletes or anonymises what is older than these retentions (README, "Personal data").
RETENTION_ABANDONED_BASKETS_DAYS = env_int("RETENTION_ABANDONED_BASKETS_DAYS", 90)
RETENTION_REFUSED_APPLICATIONS_DAYS = env_int("RETENTION_REFUSED_APPLICATIONS_DAYS", 365)
RETENTION_GUEST_ORDERS_DAYS = env_int("RETENTION_GUEST_ORDERS_DAYS", 3 * 365)
RETENTION_INACTIVE_ACCOUNTS_DAYS = env_int("RETENTION_INACTIVE_ACCOUNTS_DAYS", 3 * 365)
RETENTION_DELIVERY_ADDRESSES_DAYS = env_int("RETENTION_DELIVERY_ADDRESSES_DAYS", 365)
RETENTION_SENT_EMAILS_DAYS = env_int("RETENTION_SENT_EMAILS_DAYS", 365)
RETENTION_LOGIN_RECORDS_DAYS = env_int("RETENTION_LOGIN_RECORDS_DAYS", 365)
# Downloads of a customer's own data per hour (townmarket.ratelimit).
PERSONAL_DATA_EXPORTS_PER_HOUR = env_int("PERSONAL_DATA_EXPORTS_PER_HOUR", 10)

# django-axes: LOGIN_FAILURE_LIMIT wrong passwords for one account from one address
# lock that pair out for LOGIN_LOCKOUT_MINUTES, on every login form (shop, Wagtail admin,
# Django admin); counted in the database, so on every server.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "townmarket.ratelimit.client_ip"
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Content-Security-Policy (django-csp): nothing is loaded from another site; scripts of
# the storefront carry a nonce; the Wagtail and Django admins keep inline scripts.
CSP_EXTRA_IMG_SRC = env_list("CSP_IMG_SRC")  # e.g. the object storage's public URL
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": [SELF, NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *MEDIA_ORIGIN.split(), *CSP_EXTRA_IMG_SRC],
        "font-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}
PERMISSIONS_POLICY = {feature: [] for feature in (
    "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment", "usb")}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True

# Django serves /media/ only in development; in production the front server (or the
# object storage) does, and private files live in PRIVATE_MEDIA_ROOT, reachable by no URL.
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)

# Error reporting: each server error (500) is mailed to ADMINS ("Nom <a@b.fr>, c@d.fr")
# through the outbox, from SERVER_EMAIL; with SENTRY_DSN, also sent to Sentry (production.py).
ADMINS = env_addresses("ADMINS")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {"console": {"class": "logging.StreamHandler"},
                 "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR",
                                 "filters": ["require_debug_false"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": ["mail_admins"]},  # and the console, through the root
        # A request naming another host (bots): logged, not mailed.
        "django.security.DisallowedHost": {"handlers": ["console"], "propagate": False},
    },
}
PHONENUMBER_DEFAULT_REGION = "FR"
TOWNMARKET_SHOP_PRODUCTS_PER_PAGE = 12
WAGTAILADMIN_USER_LOGIN_FORM = "backoffice.forms.LoginForm"
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600  # invitations to new merchants stay valid a week
