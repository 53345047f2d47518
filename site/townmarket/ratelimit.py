"""The one rate limiter of the marketplace: django-ratelimit counting in the shared
cache (CACHES: Redis from REDIS_URL, else a database table), so every server process
and every server counts the same attempts, and a restart resets nothing.

Logins are guarded by django-axes (settings, "Security"); both name the visitor by
client_ip(), which looks through the TRUSTED_PROXY_COUNT reverse proxies in front."""
import ipaddress

from django.conf import settings
from django_ratelimit.core import get_usage


def client_ip(request):
    """The visitor's address. Behind n trusted proxies (TRUSTED_PROXY_COUNT = n), the
    n-th address from the right of X-Forwarded-For, the one the outermost trusted proxy
    saw: addresses further left are typed by the client and cannot be trusted."""
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote


def _usage(request, scope, limit, minutes, key, increment):
    return get_usage(request, group=f"townmarket.{scope}", key=key, rate=f"{limit}/{minutes * 60}s",
                     increment=increment)


def is_blocked(request, scope, limit, minutes, key="ip"):
    """True once `limit` attempts were counted in the current window; counts nothing."""
    usage = _usage(request, scope, limit, minutes, key, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def count(request, scope, limit, minutes, key="ip"):
    """Count one attempt."""
    _usage(request, scope, limit, minutes, key, increment=True)


def hit(request, scope, limit, minutes, key="ip"):
    """Count one attempt; True while the visitor stays within `limit` per window."""
    usage = _usage(request, scope, limit, minutes, key, increment=True)
    return usage is None or usage["count"] <= usage["limit"]
