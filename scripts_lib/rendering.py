"""Fill a script's placeholders for one conversation. Rendering never fails at send time:
a missing or empty value renders as the placeholder's fallback (亲, 本店, 17:00 or blank)."""

from datetime import datetime, time
from decimal import Decimal

from django.utils import timezone

from .placeholders import PLACEHOLDER_RE, PLACEHOLDERS


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%m-%d %H:%M") if value.tzinfo else ""
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value).strip()


def render_script(script_or_body, *, context: dict) -> str:
    """``script_or_body`` is a ReplyScript or a body string; ``context`` maps placeholder
    names to values (str, Decimal, time, …). Unknown names render blank."""
    body = script_or_body if isinstance(script_or_body, str) else script_or_body.body

    def fill(match):
        name = match.group(1).strip()
        placeholder = PLACEHOLDERS.get(name)
        if placeholder is None:
            return ""
        try:
            value = _as_text(context.get(name))
        except Exception:  # a broken value must not stop a reply from going out
            value = ""
        return value or placeholder.fallback

    return PLACEHOLDER_RE.sub(fill, body)


def script_context(*, shop=None, agent=None, buyer=None, order=None) -> dict:
    """The placeholder values known from the conversation's objects; any may be None."""
    context = {}
    if shop is not None:
        context["shop_name"] = shop.name
        context["cutoff_time"] = shop.courier_cutoff
    if agent is not None:
        context["work_number"] = getattr(agent, "work_number", "")
    if buyer is not None:
        context["buyer_nick"] = buyer.nick
    if order is not None:
        context["order_id"] = order.order_id
        context["order_amount"] = order.total_amount
        context["courier"] = order.courier
        context["tracking_number"] = order.tracking_number
        if buyer is None:
            context["buyer_nick"] = order.buyer_nick
    return context
