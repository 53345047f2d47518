"""Against guessing codes: a visitor who typed GIFT_CARD_THROTTLE_ATTEMPTS wrong codes
in GIFT_CARD_THROTTLE_MINUTES must wait. Counted by the marketplace's one rate limiter
(townmarket.ratelimit: the shared cache, by client address behind trusted proxies), so
every server process counts the same attempts. A shop's till is counted per signed-in
user, so a customer's mistakes never block the tills of the town."""
from django.conf import settings

from townmarket import ratelimit

SCOPE = "gift-card-codes"


def _key(request):
    return "user" if request.user.has_perm("wagtailadmin.access_admin") else "ip"


def _limits():
    return settings.GIFT_CARD_THROTTLE_ATTEMPTS, settings.GIFT_CARD_THROTTLE_MINUTES


def is_blocked(request):
    return ratelimit.is_blocked(request, SCOPE, *_limits(), key=_key(request))


def record(request, succeeded):
    if not succeeded:
        ratelimit.count(request, SCOPE, *_limits(), key=_key(request))
