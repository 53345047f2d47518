from django.conf import settings
from django.utils import translation


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
