"""A small fixed-window rate limit on the shared cache (per client address)."""
from django.core.cache import cache


def client_address(request):
    return request.META.get("REMOTE_ADDR", "unknown")


def hit(scope, request, limit, window_seconds):
    """Count one attempt; True while the client stays within `limit` per window."""
    key = f"ratelimit:{scope}:{client_address(request)}"
    cache.add(key, 0, window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        count = 1
    return count <= limit
