"""Whole storefront pages for anonymous visitors, from the shared cache (README, "Caching").

What is cached: a 200 answer to a GET of a storefront view (Wagtail pages, the catalogue,
its categories and search results, product pages) asked by a visitor who brings no
session, basket or messages cookie: such a visitor has an empty basket, is signed out and
has nothing pending, so the page they get is the one every such visitor gets. Anybody
else (signed in, a basket, a message to show) gets the page rendered for them, never
stored. The entry is keyed by scheme, host (the town), language, path and query string.

Cached pages carry no CSRF token and set no cookie: storefront.js fetches a token from
visitor_state() before a form posts, and without JavaScript the first post is answered
by csrf_failure() with a page that asks once more, token included.

Invalidation: any write to the tables the storefront shows (products, stock and prices,
categories, shops, Wagtail pages, images, the town's settings) gives the cache a new
generation, at once and again when the transaction commits, in the shared cache, so
every server drops its pages together. Writes are watched on the database connection
rather than through model signals so that queryset.update() and bulk_create() (stock
allocation, quick price edits, imports) invalidate too."""
import hashlib
import logging
import re
import secrets
from contextlib import nullcontext

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, router, transaction
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.middleware.csrf import REASON_CSRF_TOKEN_MISSING, REASON_NO_CSRF_COOKIE, get_token
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
GENERATION_KEY = "page-cache:generation"

# Views whose answer is the same for every anonymous visitor.
STOREFRONT_VIEWS = {"wagtail_serve", "catalogue:index", "catalogue:category", "catalogue:detail"}
# Whatever lives under these is someone's own: never stored by a browser or a proxy.
PERSONAL_PREFIXES = ("/boutique/basket/", "/boutique/checkout/", "/boutique/accounts/", "/boutique/dashboard/",
                     "/admin/", "/django-admin/", "/paiement/", "/factures/", "/visiteur/")
MAX_QUERY_STRING = 300  # longer query strings are rendered, not stored: no cache flooding

# Tables whose rows the storefront shows (Django's names: app label, underscore, model).
# storefront_search_: the search index is updated by a task after the product's own write,
# and search results cached meanwhile would otherwise outlive it.
WATCHED_TABLE_PREFIXES = ("catalogue_", "partner_", "shops_pages_", "offer_", "storefront_search_")
WATCHED_TABLES = {"wagtailcore_page", "wagtailcore_site", "wagtailimages_image", "townmarket_townsettings"}
WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)', re.IGNORECASE)
ETAG = re.compile(r'W/"([0-9a-f]{32})\.([A-Za-z0-9+/=]{0,64})"')
CSRF_INPUT = re.compile(rb'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')

# Oscar asks the visitor for confirmation again rather than failing on these posts
# (csrf_failure): their fields are harmless to send back in a page.
RE_ASKED_VIEWS = {"basket:add": _("Ajouter au panier"), "set_language": _("Changer de langue")}


def confirm_once(view_name, button):
    """Have posts to `view_name` (a URL name) from a cached page, sent without
    JavaScript, asked once more with a token instead of refused (csrf_failure). For
    forms whose fields may be shown back in a page: no password. Plugins call it from
    AppConfig.ready() for the forms they put on storefront pages (PRODUCT_PURCHASE)."""
    RE_ASKED_VIEWS[view_name] = button


def page_cache():
    return caches[CACHE_ALIAS]


def enabled():
    """Settings without a "pages" cache (a test's own CACHES) or PAGE_CACHE_SECONDS = 0: no page cache."""
    return settings.PAGE_CACHE_SECONDS > 0 and CACHE_ALIAS in settings.CACHES


def forget_all_pages():
    """A new generation: every cached page is stale, on every server."""
    if CACHE_ALIAS not in settings.CACHES:
        return
    cache = page_cache()
    # The database's cache table may not exist yet (the first `migrate`, before
    # `createcachetable`): a savepoint keeps the write that asked going.
    in_database = isinstance(cache, DatabaseCache)
    try:
        with transaction.atomic(using=router.db_for_write(cache.cache_model_class)) if in_database else nullcontext():
            cache.set(GENERATION_KEY, secrets.token_hex(8), None)
    except DatabaseError as error:
        logger.warning("Cache des pages non vidé (%s) : sa table manque-t-elle (createcachetable) ?", error)


# --- Invalidation: writes to the storefront's tables ---------------------------------

def is_watched(table):
    return table in WATCHED_TABLES or table.startswith(WATCHED_TABLE_PREFIXES)


def _forget_after_commit():
    forget_all_pages()


def watch_writes(execute, sql, params, many, context):
    """An execute wrapper (installed on each database connection, apps.py)."""
    result = execute(sql, params, many, context)
    write = WRITE.match(sql) if isinstance(sql, str) and sql[:1] in "IUDiud \n" else None
    if write is not None and is_watched(write.group(1).lower()):
        connection = context["connection"]
        # Now, so that this transaction's own reads see the change (tests run in one), and
        # after the commit, since another visitor may have stored the old page meanwhile.
        forget_all_pages()
        if connection.in_atomic_block and not any(
                entry[1] is _forget_after_commit for entry in connection.run_on_commit):
            transaction.on_commit(_forget_after_commit, using=connection.alias)
    return result


def forget_on_setting_change(setting, **kwargs):
    """setting_changed receiver (tests change settings between two visits)."""
    if setting != "CACHES":
        forget_all_pages()


def install_write_watch(sender, connection, **kwargs):
    """connection_created receiver."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


# --- The middleware -------------------------------------------------------------------

def personal_cookies(request):
    names = (settings.SESSION_COOKIE_NAME, settings.OSCAR_BASKET_COOKIE_OPEN, CookieStorage.cookie_name)
    return any(name in request.COOKIES for name in names)


def may_be_served_from_cache(request):
    return (request.method in ("GET", "HEAD") and enabled()
            and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_STRING and not personal_cookies(request))


def cache_key(request):
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in {code for code, _name in settings.LANGUAGES}:
        language = settings.LANGUAGE_CODE
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"page-cache:{language}:{hashlib.sha256(where.encode()).hexdigest()}"


def is_storefront_view(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in STOREFRONT_VIEWS


def storable(request, response):
    """The answer is the same for every visitor without cookies: a storefront page that
    set no cookie of its own (a basket, messages, Oscar's viewed-products history)."""
    if response.status_code != 200 or response.streaming or request.method != "GET":
        return False
    if not is_storefront_view(request) or response.has_header("Cache-Control"):
        return False
    if any("password_required" in name for name in _template_names(response)):
        return False  # Wagtail's form for a password-protected page
    ignored = {settings.CSRF_COOKIE_NAME, settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME}  # no page shows the history
    return not any(name not in ignored for name in response.cookies)


def _template_names(response):
    names = getattr(response, "template_name", None) or ()
    return [names] if isinstance(names, str) else [getattr(name, "name", str(name)) for name in names]


def entry_from(request, response, generation):
    body = CSRF_INPUT.sub(b"", response.content)
    nonce = getattr(request, "_csp_nonce", None)
    without_nonce = body.replace(nonce.encode(), b"") if nonce else body
    headers = [(name, value) for name, value in response.items()
               if name.lower() not in ("content-length", "cache-control", "etag", "set-cookie")]
    return {"generation": generation, "body": body, "nonce": nonce, "headers": headers,
            "content": hashlib.md5(without_nonce, usedforsecurity=False).hexdigest()}


def nonce_of_browsers_copy(request, entry):
    """The nonce of the copy the browser holds, when that copy is this page: its ETag
    is the content's hash and the nonce it was sent with."""
    for tag in request.headers.get("If-None-Match", "").split(","):
        match = ETAG.fullmatch(tag.strip())
        if match and match.group(1) == entry["content"]:
            return match.group(2)
    return None


def response_from(request, entry):
    """The stored page with this answer's own CSP nonce; or 304 when the browser's copy
    is still right, with the nonce that copy's scripts carry."""
    nonce = nonce_of_browsers_copy(request, entry)
    if nonce is not None:
        if entry["nonce"]:
            request._csp_nonce = nonce
        response = HttpResponseNotModified()
    else:
        body = entry["body"]
        nonce = ""
        if entry["nonce"]:
            nonce = str(request.csp_nonce)
            body = body.replace(entry["nonce"].encode(), nonce.encode())
        response = HttpResponse(b"" if request.method == "HEAD" else body)
        response["Content-Length"] = str(len(body))
        for name, value in entry["headers"]:
            response[name] = value
    response["ETag"] = f'W/"{entry["content"]}.{nonce}"'
    patch_cache_control(response, public=True, no_cache=True)  # browsers ask again each time: 304 or the new page
    return response


class PageCacheMiddleware:
    """Placed after the CSP middleware (each answer gets its own nonce) and before the
    session, CSRF and basket middlewares (a cached page touches none of them)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_be_served_from_cache(request):
            return self.protect_personal(request, self.get_response(request))
        key = cache_key(request)
        found = page_cache().get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        entry = found.get(key)
        if generation is not None and entry is not None and entry["generation"] == generation:
            return response_from(request, entry)
        if generation is None:
            page_cache().add(GENERATION_KEY, secrets.token_hex(8), None)
            generation = page_cache().get(GENERATION_KEY)
        response = self.get_response(request)
        if not storable(request, response):
            return self.protect_personal(request, response)
        entry = entry_from(request, response, generation)
        if generation is not None:  # None: the cache does not answer, nothing to store
            page_cache().set(key, entry, settings.PAGE_CACHE_SECONDS)
        return response_from(request, entry)

    def protect_personal(self, request, response):
        if response.has_header("Cache-Control"):
            return response
        if request.path_info.startswith(PERSONAL_PREFIXES):
            patch_cache_control(response, private=True, no_store=True)
        elif is_storefront_view(request):
            patch_cache_control(response, private=True, no_cache=True)  # rendered for this visitor
        return response


# --- Forms on cached pages ------------------------------------------------------------

@never_cache
def visitor_state(request):
    """What a cached page cannot say: a CSRF token for this visitor (its cookie is set by
    this answer), the basket's count and whether they are signed in."""
    basket = getattr(request, "basket", None)
    return JsonResponse({"csrf_token": get_token(request),
                         "basket_count": basket.num_items if basket is not None and basket.id else 0,
                         "signed_in": request.user.is_authenticated})


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW. A form of a cached page posted without JavaScript
    carries no token and the visitor may have no CSRF cookie yet: for a harmless post
    (add to basket, change language), ask once more with a page holding the same fields
    and a token (its cookie set by this answer). Anything else, or a second failure
    (cookies blocked), gets Django's answer with the site's 403_csrf.html."""
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match is not None else None
    if (view_name in RE_ASKED_VIEWS and reason in (REASON_NO_CSRF_COOKIE, REASON_CSRF_TOKEN_MISSING)
            and "csrfmiddlewaretoken" not in request.POST):
        fields = [(name, value) for name in request.POST for value in request.POST.getlist(name)]
        referrer = request.headers.get("Referer", "")
        if "next" not in request.POST and url_has_allowed_host_and_scheme(referrer, {request.get_host()},
                                                                           request.is_secure()):
            fields.append(("next", referrer))  # the Referer of the second post is this page's own address
        return render(request, "page_cache/confirm_post.html",
                      {"action": request.get_full_path(), "fields": fields, "button": RE_ASKED_VIEWS[view_name]},
                      status=403)
    return django_csrf_failure(request, reason)
