"""The chat side of the 话术 library (scripts_lib): which script a conversation uses, the
placeholder values it fills in, and the etiquette check of an agent's draft.

A shop whose team has no script for a category (a new team that has not run
``load_default_scripts``) still greets and thanks: the built-in text below is rendered
with the same placeholders instead."""

from orders.states import UNPAID_STATES
from scripts_lib import etiquette
from scripts_lib.rendering import render_script
from scripts_lib.rendering import script_context as library_context
from scripts_lib.selectors import script_for, search_scripts

FALLBACK_TEXTS = {
    "greeting": "亲，您好！欢迎光临{shop_name}，我是{work_number}号客服，很高兴为您服务，请问有什么可以帮您？",
    "farewell": "感谢您的光临，{buyer_nick}！收到宝贝后有任何问题都可以随时找我们，祝您生活愉快～",
}
QUEUED_GREETING = (
    "{buyer_nick}您好，欢迎来到{shop_name}！客服正在赶来，马上为您服务，您可以先说说想了解什么～"
)
SEARCH_LIMIT = 8


def script_context(conversation, agent=None, order=None) -> dict:
    """Placeholder values: buyer nick, the agent's 工号, the order amount, the cut-off time."""
    return library_context(
        shop=conversation.shop, agent=agent, buyer=conversation.buyer, order=order
    )


def focus_order(orders):
    """The order a script's amount refers to: the latest unpaid one, else the latest."""
    orders = list(orders)
    for order in orders:
        if order.state in UNPAID_STATES:
            return order
    return orders[0] if orders else None


def scripted_text(conversation, category: str, *, agent=None, order=None) -> str:
    """The shop's script for ``category`` filled in for this conversation."""
    script = script_for(shop=conversation.shop, category=category)
    body = script if script is not None else FALLBACK_TEXTS[category]
    return render_script(body, context=script_context(conversation, agent, order))


def greeting_text(conversation, agent=None) -> str:
    """The greeting script names the agent's 工号. While no agent has the chat (everyone
    busy or away) the buyer is told someone is coming instead of an empty 工号."""
    if agent is None:
        return render_script(QUEUED_GREETING, context=script_context(conversation))
    return scripted_text(conversation, "greeting", agent=agent)


def check_draft(text: str, *, buyer=None, order=None) -> list[dict]:
    """Etiquette findings for a draft as plain dicts (stored with the message for QA)."""
    if not (text or "").strip():
        return []
    return [finding.as_stored() for finding in etiquette.check(text, buyer=buyer, order=order)]


def find_scripts(*, user, shop, query: str, context: dict) -> list[dict]:
    """Scripts matching ``/code`` (shortcut prefix) or a search, filled in for the
    conversation: [{id, code, title, text}]."""
    query = (query or "").strip()
    if not query:
        return []
    found = search_scripts(user=user, shop=shop, query=query)[:SEARCH_LIMIT]
    return [
        {"id": s.pk, "code": s.code, "title": s.title, "text": render_script(s, context=context)}
        for s in found
    ]
