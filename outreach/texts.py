"""The words of scheduled messages: the shop's own scripts (话术库), rendered per order.

A shop writes its 催付 / 回访 / 好评 texts in the scripts library; a job that finds no script
for its category sends nothing for that shop and reports ``no_script`` (the outbox page
shows the setup warning). The only words this module adds are the dispatch sentence of a
payment reminder, because only the job knows whether "now" is before the courier cut-off.
"""

from datetime import datetime

from django.utils import timezone

from scripts_lib.models import ReplyScript, ScriptCategory
from scripts_lib.rendering import render_script
from scripts_lib.selectors import script_for

PAYMENT_REMINDER = ScriptCategory.PAYMENT_REMINDER
DELIVERY_FOLLOWUP = ScriptCategory.DELIVERY_FOLLOWUP
REVIEW_THANKS = ScriptCategory.REVIEW_THANKS


def shop_script(shop, category: str) -> ReplyScript | None:
    """The shop's active script of ``category`` (its own, else the team's), or None."""
    return script_for(shop=shop, category=category)


def render(script: ReplyScript, context: dict) -> str:
    return render_script(script, context=context)


def order_context(order, *, agent=None) -> dict:
    shop = order.shop
    amount = order.total_amount if order.total_amount is not None else order.paid_amount
    return {
        "buyer_nick": order.buyer_nick or (order.buyer.nick if order.buyer else ""),
        "work_number": getattr(agent, "work_number", "") or "",
        "order_id": order.order_id,
        "order_amount": f"{amount:.2f}" if amount is not None else "",
        "courier": order.courier,
        "tracking_number": order.tracking_number,
        "cutoff_time": shop.courier_cutoff.strftime("%H:%M"),
        "shop_name": shop.name,
    }


def before_cutoff(shop, now: datetime) -> bool:
    return timezone.localtime(now).time() < shop.courier_cutoff


def dispatch_sentence(shop, now: datetime) -> str:
    """Before the cut-off the parcel can still leave today; after it, tomorrow.

    Buyer-facing words are Chinese whatever the staff's interface language, so they are
    not marked for translation (like the scripts themselves)."""
    cutoff = shop.courier_cutoff.strftime("%H:%M")
    if before_cutoff(shop, now):
        return f"今天 {cutoff} 前付款，包裹当天就能发出。"
    return f"现在付款，包裹明天 {cutoff} 前为您发出。"


def reminder_text(script, order, *, agent, now: datetime) -> str:
    body = render(script, order_context(order, agent=agent))
    return f"{body}\n{dispatch_sentence(order.shop, now)}"
