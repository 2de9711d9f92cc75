"""The knowledge base pages and the chat's suggestion partials."""

from .base import Route, builder, now, pk_of, shop_code

conversation_pk = pk_of("conversation")
entry_pk = pk_of("knowledge_entry")


@builder("knowledge_entry")
def _knowledge_entry(ctx, shop):
    from knowledge.models import KnowledgeEntry

    return KnowledgeEntry.objects.create(
        shop=shop,
        key="K1",
        question="包邮吗",
        answer="满 99 元包邮。",
        created_at=now(),
        updated_at=now(),
    )


def entry_form(ctx, shop):
    return {
        "shop": shop.code,
        "key": "K2",
        "question": "发什么快递",
        "answer": "默认发中通。",
    }


ROUTES: dict[str, Route] = {
    "knowledge:list": Route("knowledge.view"),
    "knowledge:new": Route("knowledge.edit"),
    "knowledge:new#save": Route("knowledge.edit", method="post", data=entry_form),
    "knowledge:edit": Route("knowledge.edit", entry_pk, shop_scoped=True),
    "knowledge:toggle": Route("knowledge.edit", entry_pk, method="post", shop_scoped=True),
    "knowledge:import": Route("knowledge.edit"),
    "knowledge:export": Route("knowledge.view", shop_code, shop_scoped=True),
    "knowledge:auto_answer": Route("knowledge.edit", shop_code, method="post", shop_scoped=True),
    "knowledge:suggestions": Route("knowledge.view", conversation_pk, shop_scoped=True),
    "knowledge:entries": Route("knowledge.view", conversation_pk, shop_scoped=True),
}
