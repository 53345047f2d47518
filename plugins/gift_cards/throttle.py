"""Against guessing codes: a visitor who typed the town's « codes erronés tolérés »
(GiftCardSettings.throttle_attempts) in its throttle_minutes must wait. Counted by the marketplace's one rate limiter
(townmarket.ratelimit: the shared cache, by client address behind trusted proxies), so
every server process counts the same attempts. A shop's till is counted per signed-in
user, so a customer's mistakes never block the tills of the town."""
from townmarket import ratelimit

from .models import GiftCardSettings

SCOPE = "gift-card-codes"


def _key(request):
    return "user" if request.user.has_perm("wagtailadmin.access_admin") else "ip"


def limits(request=None):
    """(attempts, minutes) of the request's town; without a request, the default Site's."""
    rules = GiftCardSettings.for_town(request)
    return rules.throttle_attempts, rules.throttle_minutes


def wait_minutes(request=None):
    return limits(request)[1]


def is_blocked(request):
    return ratelimit.is_blocked(request, SCOPE, *limits(request), key=_key(request))


def record(request, succeeded):
    if not succeeded:
        ratelimit.count(request, SCOPE, *limits(request), key=_key(request))
