"""{% basket_count %}: the number of items in the visitor's basket, for the header.

`request.basket.num_items` loads the whole basket and applies the offers to it (Oscar's
BasketMiddleware: seven queries) on every page that shows the header. The count needs
one query: the basket's lines, from the basket cookie (or the signed-in customer's open
basket). When the page has loaded the basket anyway, or a signed-in customer still has
a cookie basket to merge into theirs (Oscar merges it on loading), the basket counts."""
from django import template
from django.conf import settings
from django.core.signing import BadSignature, Signer
from django.db.models import Sum
from oscar.core.loading import get_model

from townmarket.sites import current_site

register = template.Library()


@register.simple_tag(takes_context=True)
def basket_count(context):
    request = context.get("request")
    if request is None or not hasattr(request, "basket"):
        return 0
    if getattr(request, "_basket_cache", None) is not None:
        return request.basket.num_items
    from oscar_apps.basket.middleware import open_baskets

    Line = get_model("basket", "Line")
    baskets = open_baskets(current_site(request))  # the town's (one basket per town)
    cookie = request.COOKIES.get(settings.OSCAR_BASKET_COOKIE_OPEN)
    if request.user.is_authenticated:
        if cookie:
            return request.basket.num_items
        lines = Line.objects.filter(basket__in=baskets.filter(owner=request.user))
    else:
        if not cookie:
            return 0
        try:
            basket_id = Signer().unsign(cookie)
        except BadSignature:
            return 0
        lines = Line.objects.filter(basket__in=baskets.filter(pk=basket_id, owner=None))
    return lines.aggregate(items=Sum("quantity"))["items"] or 0
