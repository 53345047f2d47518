import logging

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def ping(request):
    """A trivial view: the benchmark's baseline. It proves only that the process answers."""
    return HttpResponse("ok", content_type="text/plain")


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache(alias):
    """Write then read a key: a cache that lets errors pass as misses (townmarket.cache)
    shows here as a value not read back."""
    cache = caches[alias]
    key, value = f"townmarket:healthz:{get_random_string(12)}", get_random_string(12)
    cache.set(key, value, 30)
    try:
        return cache.get(key) == value
    finally:
        cache.delete(key)


@never_cache
def healthcheck(request):
    """A load balancer's probe: 200 « ok » when this server reaches its database and its
    caches, else 503 naming what failed (one line per part, plain text)."""
    parts = [("base de données", _database)]
    parts += [(f"cache « {alias} »", lambda alias=alias: _cache(alias)) for alias in settings.CACHES]
    lines, healthy = [], True
    for name, probe in parts:
        try:
            ok = probe()
        except DatabaseError as error:  # the cache table lives in the database too
            logger.warning("healthz: %s : %s", name, error)
            ok = False
        lines.append(f"{name} : {'ok' if ok else 'ne répond pas'}")
        healthy = healthy and ok
    body = "\n".join(["ok" if healthy else "en panne", *lines]) + "\n"
    return HttpResponse(body, status=200 if healthy else 503, content_type="text/plain; charset=utf-8")
