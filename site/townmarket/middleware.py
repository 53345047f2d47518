import re
import secrets

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from townmarket import ratelimit


class CookieLocaleMiddleware:
    """French first: the site speaks French unless the visitor chose another language
    with the language switch (stored in Django's language cookie). Unlike Django's
    LocaleMiddleware, the browser's Accept-Language header is ignored."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """settings.CONTENT_SECURITY_POLICY everywhere; the Wagtail and Django admins, whose
    own templates still carry inline scripts and handlers, may run inline scripts."""

    ADMIN_PREFIXES = ("/admin/", "/django-admin/")

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(self.ADMIN_PREFIXES):
            parts.replace = {**(parts.replace or {}), "script-src": [SELF, UNSAFE_INLINE]}
        return parts


class EmailSendingFormsRateLimitMiddleware:
    """Forms that send an e-mail to the address typed (password reset, registration,
    stock alerts):
    at most PASSWORD_RESET_LIMIT_PER_HOUR per client address and per address typed, so
    nobody can flood a mailbox or the mail server. Counted by townmarket.ratelimit."""

    # view name -> POST field holding the e-mail address
    LIMITED_VIEWS = {
        "password-reset": "email",  # Oscar's, at /boutique/password-reset/
        "wagtailadmin_password_reset": "email",
        "customer:register": "email",
        "customer:login": "registration-email",  # Oscar's login page also registers
        "customer:alert-create": "email",  # « Prévenez-moi » on a product out of stock
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        field = self.LIMITED_VIEWS.get(request.resolver_match.view_name)
        if request.method != "POST" or field is None or not request.POST.get(field):
            return None
        limit = settings.PASSWORD_RESET_LIMIT_PER_HOUR
        typed = request.POST[field].strip().lower()[:254]
        within = ratelimit.hit(request, "e-mail-forms", limit, 60)
        within = ratelimit.hit(request, "e-mail-forms-address", limit,
                               60, key=lambda group, request: typed) and within
        if within:
            return None
        return render(request, "too_many_requests.html", {"reason": _(
            "Trop de demandes pour cette adresse ou depuis cette connexion. Réessayez dans une heure.")}, status=429)


class BasketVisitorPageCacheMiddleware:
    """Storefront pages for a visitor with a basket, from the shared cache (README, "Caching").

    The anonymous page cache (townmarket.page_cache) cannot serve someone with a basket:
    their header counts their basket and their forms carry their CSRF token. Everything
    else on a storefront page is what any visitor without a session sees, so the page is
    stored once, rendered, with those parts cut out (the CSRF tokens, the basket count,
    the CSP nonce), and each such visitor gets it with their own filled in: no routing,
    no query but the basket's count, no rendering. Only for visitors who bring a basket
    cookie and neither a session (nobody signed in, no page password given, nothing kept
    for them) nor a messages cookie; everyone else gets the page rendered for them.

    Stored beside the anonymous pages, under the same generation: any write that empties
    the page cache (a price, stock, a product or page edited…) empties these too.
    Placed after the CSRF and basket middlewares (it hands out the visitor's token and
    counts the basket) and before the views."""

    PREFIX = "page-cache-basket:"
    CSRF_HOLE = '<input type="hidden" name="csrfmiddlewaretoken" value="\x00csrf\x00">'
    CSRF_INPUT = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')
    COUNT_HOLE = "data-basket-count>\x00count\x00<"
    COUNT = re.compile(r"data-basket-count>\d+<")
    NONCE_HOLE = "\x00nonce\x00"

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def eligible(request):
        from django.contrib.messages.storage.cookie import CookieStorage

        from townmarket import page_cache

        cookies = request.COOKIES
        return (request.method == "GET" and page_cache.enabled() and cookies.get(settings.OSCAR_BASKET_COOKIE_OPEN)
                and not cookies.get(settings.SESSION_COOKIE_NAME) and not cookies.get(CookieStorage.cookie_name)
                and len(request.META.get("QUERY_STRING", "")) <= page_cache.MAX_QUERY_STRING)

    def __call__(self, request):
        if not self.eligible(request):
            return self.get_response(request)
        from townmarket import page_cache

        cache = page_cache.page_cache()
        key = self.PREFIX + page_cache.cache_key(request)
        found = cache.get_many([page_cache.GENERATION_KEY, key])
        generation, entry = found.get(page_cache.GENERATION_KEY), found.get(key)
        if generation is not None and entry is not None and entry["generation"] == generation:
            return self.filled(request, entry)
        if generation is None:
            cache.add(page_cache.GENERATION_KEY, secrets.token_hex(8), None)
            generation = cache.get(page_cache.GENERATION_KEY)
        response = self.get_response(request)
        if generation is not None and page_cache.storable(request, response):
            cache.set(key, self.entry(request, response, generation), settings.PAGE_CACHE_SECONDS)
        return response

    def entry(self, request, response, generation):
        charset = response.charset or "utf-8"
        body = response.content.decode(charset)
        body = self.CSRF_INPUT.sub(self.CSRF_HOLE, body)
        body = self.COUNT.sub(self.COUNT_HOLE, body)
        nonce = getattr(request, "_csp_nonce", None)
        if nonce:
            body = body.replace(nonce, self.NONCE_HOLE)
        headers = [(name, value) for name, value in response.items()
                   if name.lower() not in ("content-length", "cache-control", "etag", "set-cookie")]
        # The town (Wagtail's Site) this host was served as: the key holds the host, and a
        # change to the sites starts a new generation. The basket's count is the town's.
        site = getattr(request, "_wagtail_site", None)
        return {"generation": generation, "body": body, "charset": charset, "headers": headers, "site": site}

    def filled(self, request, entry):
        from django.middleware.csrf import get_token
        from django.utils.cache import patch_cache_control
        from django.utils.html import escape

        from oscar_apps.basket.templatetags.basket_count import basket_count

        if entry.get("site") is not None and not hasattr(request, "_wagtail_site"):
            request._wagtail_site = entry["site"]  # Site.find_for_request: no query
        body = entry["body"]
        if self.CSRF_HOLE in body:
            body = body.replace(self.CSRF_HOLE, self.CSRF_INPUT.pattern.replace('[^"]*', escape(get_token(request))))
        if self.COUNT_HOLE in body:
            body = body.replace(self.COUNT_HOLE, f"data-basket-count>{basket_count({'request': request})}<")
        if self.NONCE_HOLE in body:
            body = body.replace(self.NONCE_HOLE, str(request.csp_nonce))
        response = HttpResponse(body.encode(entry["charset"]))
        for name, value in entry["headers"]:
            response[name] = value
        patch_cache_control(response, private=True, no_cache=True)  # as when rendered (page_cache.protect_personal)
        return response
