"""The knowledge base pages and the chat's suggestion partials."""

from .base import Route, pk_of, shop_code

conversation_pk = pk_of("conversation")

ROUTES: dict[str, Route] = {
    "knowledge:list": Route("knowledge.view"),
    "knowledge:export": Route("knowledge.view", shop_code, shop_scoped=True),
    "knowledge:suggestions": Route("knowledge.view", conversation_pk, shop_scoped=True),
    "knowledge:entries": Route("knowledge.view", conversation_pk, shop_scoped=True),
}
