from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
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
