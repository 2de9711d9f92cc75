"""The Redis cache, failing soft: when Redis is down or slow, reads miss and writes are
dropped (with a warning in the log) instead of turning every page that touches the cache
into a server error. Nothing here keeps data that only lives in the cache: it holds
figures that are recomputed (dashboard counts), import progress (the run's row has the
outcome) and the buyers' rate-limit counters (which open up while Redis is away).
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE = (RedisConnectionError, RedisTimeoutError)
# A Redis that does not answer must not hold a request for long.
SOCKET_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}


def _soft(default):
    def wrap(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except OUTAGE as error:
                logger.warning("cache unavailable, %s skipped: %s", method.__name__, error)
                return default(*args, **kwargs) if callable(default) else default

        return call

    return wrap


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        options = {**SOCKET_TIMEOUTS, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})

    get = _soft(lambda key, default=None, version=None: default)(RedisCache.get)
    get_many = _soft({})(RedisCache.get_many)
    has_key = _soft(False)(RedisCache.has_key)
    add = _soft(False)(RedisCache.add)
    set = _soft(None)(RedisCache.set)
    set_many = _soft(lambda data, *args, **kwargs: list(data))(RedisCache.set_many)
    touch = _soft(False)(RedisCache.touch)
    delete = _soft(False)(RedisCache.delete)
    delete_many = _soft(None)(RedisCache.delete_many)
    # A counter that cannot be read counts from zero (decr goes through incr): rate
    # limits open up while Redis is away, they never lock anyone out.
    incr = _soft(lambda key, delta=1, version=None: delta)(RedisCache.incr)

    @_soft(None)
    def clear(self):
        """Delete this cache's own keys only. Redis's FLUSHDB (Django's clear) would also
        wipe the Celery broker's queues when both share a database, as they do with one
        REDIS_URL, and another test process's keys when several share one server."""
        client = self._cache.get_client(None, write=True)
        batch = []
        for key in client.scan_iter(match=f"{self.key_prefix}:*", count=500):
            batch.append(key)
            if len(batch) == 500:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
