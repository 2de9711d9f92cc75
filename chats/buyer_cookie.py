"""Who a web-chat browser says it is: the nick it declared, kept in a signed cookie per shop.

Read by the buyer's chat pages and by their event stream (live/), so it lives below both.
A declared nick proves nothing (docs/chats.md); the cookie only keeps it across visits."""

import json

from accounts.models import Shop

COOKIE_SALT = "chats.buyer"
COOKIE_MAX_AGE = 30 * 24 * 3600


def _cookie_name(shop: Shop) -> str:
    return f"hd_chat_{shop.pk}"


def buyer_identity(request, shop: Shop) -> dict | None:
    """What this browser declared to the shop's web chat, or None; a forged cookie is None."""
    raw = request.get_signed_cookie(
        _cookie_name(shop), default=None, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE
    )
    if not raw:
        return None
    try:
        identity = json.loads(raw)
    except ValueError:
        return None
    return identity if isinstance(identity, dict) and identity.get("nick") else None


def remember_buyer(response, request, shop: Shop, identity: dict):
    """Keep the nick the buyer declared in a signed cookie of this shop (30 days)."""
    response.set_signed_cookie(
        _cookie_name(shop),
        json.dumps(identity),
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response
