from django.conf import settings
from django.contrib import messages
from django.core.signing import BadSignature, Signer
from django.db.models import Q
from django.utils.translation import ngettext
from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware
from oscar.core.loading import get_model

from townmarket.sites import current_site

Basket = get_model("basket", "Basket")


def open_baskets(site):
    """The open baskets of `site`'s town (Basket.town). A basket with no town (made
    before there were several towns) is the default town's."""
    if site is None:
        return Basket.open.all()
    if site.is_default_site:
        return Basket.open.filter(Q(town=site) | Q(town__isnull=True))
    return Basket.open.filter(town=site)


class BasketMiddleware(OscarBasketMiddleware):
    """Oscar's, with one basket per town: the visitor's basket is the open basket of the
    request's town (a Wagtail Site), its cookie's only if it is that town's, and a
    signed-in customer keeps one open basket in each town, into which the guest basket
    of the same town is merged on signing in. The anonymous basket's cookie is flagged
    like the session's: SameSite, and Secure when the site is served over HTTPS
    (settings, HTTPS=1)."""

    def __call__(self, request):
        response = super().__call__(request)
        cookie = response.cookies.get(self.get_cookie_key(request))
        if cookie is not None and cookie.value:
            cookie["samesite"] = settings.SESSION_COOKIE_SAMESITE
            cookie["secure"] = settings.OSCAR_BASKET_COOKIE_SECURE
        return response

    def get_basket(self, request):
        if request._basket_cache is not None:
            return request._basket_cache
        site = current_site(request)
        town_baskets = open_baskets(site)
        cookie_key = self.get_cookie_key(request)
        cookie_basket = self.get_cookie_basket(cookie_key, request, town_baskets)
        merged = 0
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            owned = list(town_baskets.filter(owner=request.user).order_by("pk"))
            basket = owned[0] if owned else Basket.objects.create(owner=request.user, town=site)
            for other in owned[1:]:  # two made at once (two tabs): one is kept
                merged += other.num_items
                self.merge_baskets(basket, other)
            basket.owner = request.user
            if cookie_basket:  # signed in just now: the guest basket of this town joins theirs
                merged += cookie_basket.num_items
                self.merge_baskets(basket, cookie_basket)
                request.cookies_to_delete.append(cookie_key)
        elif cookie_basket:
            basket = cookie_basket
        else:
            basket = Basket(town=site)  # saved with its first line
        request._basket_cache = basket
        if merged:
            messages.warning(request, ngettext(
                "%(count)d article d'une visite précédente a rejoint votre panier.",
                "%(count)d articles d'une visite précédente ont rejoint votre panier.", merged) % {"count": merged})
        return basket

    def get_cookie_basket(self, cookie_key, request, manager):
        """The guest basket the cookie names, if it is an open basket of this town."""
        if cookie_key not in request.COOKIES:
            return None
        try:
            return manager.get(pk=Signer().unsign(request.COOKIES[cookie_key]), owner=None)
        except (BadSignature, ValueError, Basket.DoesNotExist):
            request.cookies_to_delete.append(cookie_key)
            return None
