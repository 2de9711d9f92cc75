"""The chat side of the 话术 library: which script a conversation uses, the placeholder
values it fills in, and the etiquette check of an agent's draft.

Scripts come from ``scripts_lib`` when the shop has one for the category; otherwise the
built-in default text below is used, so a new shop still greets within ten seconds."""

from dataclasses import asdict, is_dataclass
from decimal import Decimal

from orders.states import UNPAID_STATES

DEFAULT_TEXTS = {
    "greeting": "亲，您好！欢迎光临{shop_name}，我是客服{work_number}号，很高兴为您服务，请问有什么可以帮您？",
    "farewell": "感谢您的光临，{buyer_nick}！收到宝贝后有任何问题都可以随时找我们，祝您生活愉快～",
}


def script_context(conversation, agent=None, order=None) -> dict:
    """Placeholder values: buyer nick, the agent's 工号, the order amount, the cut-off time."""
    amount = None
    if order is not None:
        amount = order.total_amount if order.total_amount is not None else order.paid_amount
    return {
        "buyer_nick": conversation.buyer.nick,
        "work_number": getattr(agent, "work_number", "") or "",
        "agent_name": str(agent) if agent else "",
        "shop_name": conversation.shop.name,
        "order_amount": f"{amount:.2f}" if isinstance(amount, Decimal) else "",
        "order_id": order.order_id if order is not None else "",
        "cutoff_time": conversation.shop.courier_cutoff.strftime("%H:%M"),
    }


def focus_order(orders):
    """The order a script's amount refers to: the latest unpaid one, else the latest."""
    orders = list(orders)
    for order in orders:
        if order.state in UNPAID_STATES:
            return order
    return orders[0] if orders else None


def _library():
    try:
        from scripts_lib import etiquette, rendering, selectors
    except ImportError:
        return None
    return selectors, rendering, etiquette


def scripted_text(conversation, category: str, *, agent=None, order=None) -> str:
    """The shop's script for ``category`` filled in for this conversation."""
    context = script_context(conversation, agent, order)
    library = _library()
    if library is not None:
        selectors, rendering, _etiquette = library
        script = selectors.script_for(shop=conversation.shop, category=category)
        if script is not None:
            return rendering.render_script(script, context=context)
    return DEFAULT_TEXTS[category].format(**context)


def check_draft(text: str, *, buyer=None, order=None) -> list[dict]:
    """Etiquette findings for a draft as plain dicts (stored with the message for QA)."""
    library = _library()
    if library is None or not text.strip():
        return []
    findings = library[2].check(text, buyer=buyer, order=order)
    return [asdict(f) if is_dataclass(f) else dict(f) for f in findings]


def find_scripts(shop, query: str, *, context: dict) -> list[dict]:
    """Scripts matching ``/code`` (shortcut) or a search, filled in: [{code, title, text}]."""
    library = _library()
    query = (query or "").strip()
    if library is None or not query:
        return []
    selectors, rendering, _etiquette = library
    if query.startswith("/"):
        script = selectors.script_for(shop=shop, category=None, code=query[1:])
        found = [script] if script is not None else []
    else:
        found = list(selectors.scripts_matching(shop=shop, query=query)[:8])
    return [
        {"code": s.code, "title": s.title, "text": rendering.render_script(s, context=context)}
        for s in found
    ]
