from django.conf import settings
from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware


class BasketMiddleware(OscarBasketMiddleware):
    """Oscar's, with the anonymous basket's cookie flagged like the session's: SameSite,
    and Secure when the site is served over HTTPS (settings, HTTPS=1)."""

    def __call__(self, request):
        response = super().__call__(request)
        cookie = response.cookies.get(self.get_cookie_key(request))
        if cookie is not None and cookie.value:
            cookie["samesite"] = settings.SESSION_COOKIE_SAMESITE
            cookie["secure"] = settings.OSCAR_BASKET_COOKIE_SECURE
        return response
