"""Limits on the public web chat page (/c/<shop>/), where anybody can type any nick.

The rates are the configured buyer throttles (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``,
DRF's "count/period" form), counted in the cache in fixed windows:

- ``buyer_chat``: messages from one client address, whatever nick it types;
- ``buyer_chat_new``: new conversations one client address may open;
- ``buyer_chat_shop_new``: new web-chat conversations one shop takes in, from everyone, so
  a flood from many addresses still cannot open more than agents could ever read.

Keys are per client address (``helpdesk.client_ip``, right behind the TLS proxy too), never
per nick: a visitor who changes nick stays the same visitor. While Redis is away the
counters open up (helpdesk/cache.py): a throttle never locks a buyer out.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from helpdesk.client_ip import client_ip

MESSAGES = "buyer_chat"
NEW_PER_ADDRESS = "buyer_chat_new"
NEW_PER_SHOP = "buyer_chat_shop_new"


def rate_of(scope: str) -> tuple[int, int]:
    """(count, seconds) of a configured rate."""
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]
    return SimpleRateThrottle.parse_rate(None, rate)


def _over(scope: str, subject: str) -> bool:
    """Count one more hit of ``subject`` in the current window; True once over the rate."""
    limit, seconds = rate_of(scope)
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    key = f"chats:throttle:{scope}:{digest}"
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        return False


def message_refused(request, shop_id: int) -> bool:
    return _over(MESSAGES, f"{shop_id}|{client_ip(request)}")


def new_conversation_refused(request, shop_id: int) -> bool:
    """Checked only when the message would open a conversation. The address is counted
    first, so one address hammering the page uses up its own allowance, not the shop's."""
    if _over(NEW_PER_ADDRESS, f"{shop_id}|{client_ip(request)}"):
        return True
    return _over(NEW_PER_SHOP, str(shop_id))
