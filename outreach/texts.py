"""The words of scheduled messages: the shop's own scripts (话术库), rendered per order.

A shop writes its 催付 / 回访 / 好评 texts in the scripts library; a job that finds no script
for its category sends nothing for that shop and reports ``no_script`` (the outbox page
shows the setup warning). The only words this module adds are the dispatch sentence of a
payment reminder, because only the job knows whether "now" is before the courier cut-off
(see ``reminder_wording``).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from scripts_lib.buyer_texts import BuyerText
from scripts_lib.models import ReplyScript, ScriptCategory
from scripts_lib.rendering import render_script
from scripts_lib.selectors import script_for

PAYMENT_REMINDER = ScriptCategory.PAYMENT_REMINDER
DELIVERY_FOLLOWUP = ScriptCategory.DELIVERY_FOLLOWUP
RECEIPT_FOLLOWUP = ScriptCategory.RECEIPT_FOLLOWUP
REVIEW_THANKS = ScriptCategory.REVIEW_THANKS
CUTOFF_PLACEHOLDER = "{cutoff_time}"
# The dispatch sentences a payment reminder may add ({cutoff}: the courier cut-off, HH:MM).
DISPATCH_TODAY = "今天 {cutoff} 前付款，包裹当天就能发出。"
DISPATCH_TOMORROW = "现在付款，包裹明天 {cutoff} 前为您发出。"


def dispatch_buyer_texts():
    """The dispatch lines reminders add, for the etiquette check of every shipped text."""
    for key, sentence in (
        ("dispatch_today", DISPATCH_TODAY),
        ("dispatch_tomorrow", DISPATCH_TOMORROW),
    ):
        yield BuyerText("outreach", key, (sentence.format(cutoff="17:00"),))


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


def speaks_of_cutoff(script: ReplyScript) -> bool:
    return CUTOFF_PLACEHOLDER in script.body


@dataclass(frozen=True)
class ReminderWording:
    """The script a reminder uses at a given time, and the dispatch sentence added to it
    ("" when the script already speaks of the cut-off)."""

    script: ReplyScript
    dispatch: str


def reminder_scripts(shop) -> list[ReplyScript]:
    """The shop's active 催付 scripts in the order the shop ranks them (its own before the
    team's, a team script replaced by the shop's own script of the same code left out)."""
    scripts = list(
        ReplyScript.objects.filter(
            Q(shop=shop) | Q(shop__isnull=True, team_id=shop.team_id),
            category=PAYMENT_REMINDER,
            is_active=True,
        ).order_by("shop_id", "position", "pk")
    )
    own_codes = {script.code for script in scripts if script.shop_id}
    return [s for s in scripts if s.shop_id or s.code not in own_codes]


def reminder_wording(shop, now: datetime) -> ReminderWording | None:
    """Which 催付 script to send at ``now`` so that what it says about dispatch is true.

    Before the courier cut-off the shop's first script is used; when it does not mention
    ``{cutoff_time}`` itself, a sentence saying the parcel leaves today when paid before the
    cut-off is added. After the cut-off a script promising same-day dispatch would be
    wrong, so the first script that does not mention ``{cutoff_time}`` is used, with a
    sentence saying the parcel leaves tomorrow. None when no script fits: the shop has
    no 催付 script at all, or (after the cut-off) only cut-off scripts, in which case
    the reminder waits for the next morning."""
    scripts = reminder_scripts(shop)
    cutoff = shop.courier_cutoff.strftime("%H:%M")
    if before_cutoff(shop, now):
        if not scripts:
            return None
        first = scripts[0]
        today = DISPATCH_TODAY.format(cutoff=cutoff)
        return ReminderWording(first, "" if speaks_of_cutoff(first) else today)
    for script in scripts:
        if not speaks_of_cutoff(script):
            return ReminderWording(script, DISPATCH_TOMORROW.format(cutoff=cutoff))
    return None


def reminder_text(wording: ReminderWording, order, *, agent) -> str:
    """Buyer-facing words are Chinese whatever the staff's interface language, so the
    dispatch sentences are not marked for translation (like the scripts themselves)."""
    body = render(wording.script, order_context(order, agent=agent))
    return f"{body}\n{wording.dispatch}" if wording.dispatch else body
