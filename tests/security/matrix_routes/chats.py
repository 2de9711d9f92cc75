"""The agents' chat workspace and its API, the buyers' public chat page, and the signed
inbound channel endpoint."""

from .base import Route, pk_of

conversation_pk = pk_of("conversation")
# A chat write an allowed role may see answered 400 (minimal form) or 409 (an earlier
# role already claimed or closed the conversation).
SETTLED = frozenset({400, 409})


def chat_post(action: str = "chats.work", data=None) -> Route:
    return Route(
        action,
        conversation_pk,
        method="post",
        shop_scoped=True,
        data=data or {},
        also_ok=SETTLED,
    )


def concession(ctx, shop):
    """An order of the conversation's buyer (both builders use the shop's one buyer)."""
    return {"order": ctx.obj("order", shop).pk, "amount": "5.00", "reason": "老顾客"}


def webchat_shop(ctx, shop):
    return {"shop_code": ctx.obj("webchat", shop).shop.code}


def survey(ctx, shop):
    return {"token": ctx.obj("survey_token", shop)}


def chat_image_pk(ctx, shop):
    return {"pk": ctx.obj("chat_image", shop).pk}


def buyer_image(ctx, shop):
    return {"shop_code": shop.code, "pk": ctx.obj("chat_image", shop).pk}


def evidence_ticket(ctx, shop):
    return {"ticket": ctx.obj("evidence_ticket", shop).pk}


def bridge_channel(ctx, shop):
    return {"channel_id": ctx.obj("bridge", shop).pk}


ROUTES: dict[str, Route] = {
    "chats:workspace": Route("chats.work"),
    "chats:queue": Route("chats.work"),
    "chats:presence": Route("chats.work", method="post", data={"status": "online"}),
    "chats:alerts": Route("chats.supervise"),
    "chats:conversation": Route("chats.work", conversation_pk, shop_scoped=True),
    "chats:messages": Route("chats.work", conversation_pk, shop_scoped=True),
    "chats:reply": chat_post(data={"text": "您好，在的", "confirm": "on"}),
    "chats:check": chat_post(data={"text": "亲，这个肯定没问题"}),
    "chats:scripts": Route("chats.work", conversation_pk, shop_scoped=True, data={"q": "hi"}),
    "chats:claim": chat_post(),
    "chats:transfer": chat_post(data={"reason": "下班", "wants": "尺码", "todo": "回复"}),
    "chats:assign": chat_post("chats.supervise"),
    "chats:close": chat_post(data={"outcome": "no_sale"}),
    "chats:concession": chat_post(data=concession),
    "chats:stock_wish": chat_post(data=lambda ctx, shop: {"sku": ctx.obj("sku", shop).pk}),
    "chats:order_card": chat_post(data=lambda ctx, shop: {"order": ctx.obj("order", shop).pk}),
    "chats:image_to_ticket": Route(
        "tickets.work",
        chat_image_pk,
        method="post",
        shop_scoped=True,
        data=evidence_ticket,
        also_ok=SETTLED,
    ),
    "chat-image": Route("chats.work", chat_image_pk, shop_scoped=True),
    "conversation-list": Route("chats.work"),
    "conversation-detail": Route("chats.work", conversation_pk, shop_scoped=True),
    # Buyers: no login; the shop's web-chat page, a signed cookie per browser, and a signed
    # survey link (tests/security/test_public_routes.py proves what they refuse and hide).
    "buyer_chat:chat": Route(public=True, kwargs=webchat_shop),
    "buyer_chat:send": Route(
        public=True, kwargs=webchat_shop, method="post", data={"text": "在吗"}
    ),
    "buyer_chat:messages": Route(public=True, kwargs=webchat_shop),
    "buyer_chat:events": Route(public=True, kwargs=webchat_shop),
    "buyer_chat:survey": Route(public=True, kwargs=survey),
    # Only the browser whose conversation holds the photo gets it; a staff session has no
    # buyer cookie, so it is a 404 here (tests/chats/test_media.py shows both sides).
    "buyer_chat:image": Route(public=True, kwargs=buyer_image, also_ok=frozenset({404})),
    "channel-messages": Route(channel_signed=True, kwargs=bridge_channel, method="post"),
}
