"""Django's own Redis cache, made to degrade: when Redis does not answer (stopped,
unreachable, out of memory), each call logs a warning and behaves as a cache miss, so
pages are slower, never a 500. After a failure the server is left alone for
RETRY_AFTER seconds, so a page does not wait REDIS_TIMEOUT on every cache call; when it
answers again, the process that missed it empties it first (FLUSHDB: give the
marketplace a Redis database number of its own), since writes and deletions made
meanwhile reached only the database.

What that means for what lives in the cache (settings, "Caches"):
- Wagtail's and Oscar's caches: recomputed from the database;
- sessions (cached_db): read from and written to the database;
- rate limits: not counted, visitors let through (RATELIMIT_FAIL_OPEN); login
  lockouts are counted by django-axes in the database and stay."""
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _degrading(name, fallback):
    def method(self, *args, **kwargs):
        if time.monotonic() < self._unavailable_until:
            return fallback(*args, **kwargs)
        try:
            if self._missed_writes:
                # Redis answers again, but may hold values this process changed or
                # deleted meanwhile (a session signed out, a page renamed): start afresh.
                RedisCache.clear(self)
                self._missed_writes = False
                logger.warning("Cache Redis de nouveau joignable : vidé, ses valeurs pouvaient être périmées.")
            return getattr(RedisCache, name)(self, *args, **kwargs)
        except RedisError as error:
            self._unavailable_until = time.monotonic() + self.RETRY_AFTER
            self._missed_writes = True
            logger.warning("Cache Redis injoignable (%s : %s) : la page continue sans cache pendant %s s.",
                           name, error, self.RETRY_AFTER)
            return fallback(*args, **kwargs)
    method.__name__ = name
    method.__doc__ = f"RedisCache.{name}(); on a Redis failure, as on a cache miss."
    return method


class ResilientRedisCache(RedisCache):
    RETRY_AFTER = 5  # seconds

    def __init__(self, server, params):
        super().__init__(server, params)
        self._unavailable_until = 0.0
        self._missed_writes = False

    add = _degrading("add", lambda *args, **kwargs: False)
    get = _degrading("get", lambda key, default=None, version=None: default)
    set = _degrading("set", lambda *args, **kwargs: None)
    touch = _degrading("touch", lambda *args, **kwargs: False)
    delete = _degrading("delete", lambda *args, **kwargs: False)
    get_many = _degrading("get_many", lambda *args, **kwargs: {})
    has_key = _degrading("has_key", lambda *args, **kwargs: False)
    incr = _degrading("incr", lambda *args, **kwargs: None)  # django-ratelimit: « not counted »
    set_many = _degrading("set_many", lambda data, *args, **kwargs: list(data))  # the keys not stored
    delete_many = _degrading("delete_many", lambda *args, **kwargs: None)
    clear = _degrading("clear", lambda *args, **kwargs: False)
