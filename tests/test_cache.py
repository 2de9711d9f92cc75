"""Tests run on the production cache (fail-soft Redis) whenever REDIS_URL is set, as in
CI, and no test sees another's cache entries."""

import os

import pytest
import redis
from django.core.cache import cache, caches

from helpdesk.cache import FailSoftRedisCache

needs_redis = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set")


@needs_redis
def test_the_cache_under_test_is_the_production_redis_cache():
    assert isinstance(caches["default"], FailSoftRedisCache)
    cache.set("probe", {"rows": 3})
    assert cache.get("probe") == {"rows": 3}


@needs_redis
def test_clear_deletes_only_the_caches_own_keys():
    """The broker shares the database: clearing the cache must leave its queues alone."""
    server = redis.Redis.from_url(os.environ["REDIS_URL"])
    server.set("test-broker-queue", "a task")
    try:
        cache.set("mine", 1)
        cache.clear()
        assert cache.get("mine") is None
        assert server.get("test-broker-queue") == b"a task"
    finally:
        server.delete("test-broker-queue")


def test_one_test_leaves_a_counter_behind():
    cache.set("leak-probe", 1)


def test_the_next_test_starts_with_an_empty_cache():
    assert cache.get("leak-probe") is None
