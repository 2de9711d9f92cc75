"""Reads for the outbox page, the jobs page and the KPI module."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import Shop, User
from accounts.permissions import restrict
from chats.models import OutboxMessage, OutboxStatus
from helpdesk.capped import CappedCount, capped_counts
from helpdesk.keyset import Keyset
from scripts_lib.models import ReplyScript

from .models import Reminder
from .texts import DELIVERY_FOLLOWUP, PAYMENT_REMINDER, RECEIPT_FOLLOWUP, REVIEW_THANKS

PAGE_ROWS = 50
# The outbox page's sent messages, walked by keyset: they grow without end.
SENT_PAGES = Keyset(name="outbox-sent", field="sent_at")
SCRIPT_WARNINGS = {
    PAYMENT_REMINDER: "催付",
    DELIVERY_FOLLOWUP: "回访",
    RECEIPT_FOLLOWUP: "签收回访",
    REVIEW_THANKS: "好评感谢",
}


def outbox_visible_to(user: User) -> QuerySet[OutboxMessage]:
    return restrict(OutboxMessage.objects.all(), user, "outreach.view")


def access_outbox_message(user: User, pk: int) -> OutboxMessage:
    """A message of a shop the user supervises; a foreign and an unknown id are both a 404."""
    return get_object_or_404(outbox_visible_to(user), pk=pk)


def outbox_failures(user: User, shop: Shop) -> QuerySet[OutboxMessage]:
    """Messages that failed for good, or are backing off after a failed attempt."""
    return (
        outbox_visible_to(user)
        .filter(shop=shop)
        .filter(Q(status=OutboxStatus.FAILED) | Q(status=OutboxStatus.PENDING, attempts__gt=0))
        .select_related("buyer", "order")
        .order_by("-next_attempt_at", "-pk")[:PAGE_ROWS]
    )


def outbox_sent(user: User, shop: Shop) -> QuerySet[OutboxMessage]:
    """The shop's sent messages, newest first; the page walks them by ``SENT_PAGES`` on the
    ``outbox_recent_sent`` index (a sent message always has its time)."""
    return (
        outbox_visible_to(user)
        .filter(shop=shop, status=OutboxStatus.SENT, sent_at__isnull=False)
        .select_related("buyer", "order")
        .order_by("-sent_at", "-pk")
    )


def outbox_counts(user: User, shop: Shop) -> dict[str, CappedCount]:
    """Messages per status, each capped ("999+"): the sent ones grow without end."""
    messages = outbox_visible_to(user).filter(shop=shop)
    return capped_counts({status: messages.filter(status=status) for status in OutboxStatus.values})


def missing_scripts(shop: Shop) -> list[str]:
    """The scheduled-message categories the shop has no script for (a setup warning:
    the jobs send nothing of those kinds for the shop)."""
    present = set(
        ReplyScript.objects.filter(
            Q(shop=shop) | Q(shop__isnull=True, team_id=shop.team_id),
            category__in=list(SCRIPT_WARNINGS),
            is_active=True,
        ).values_list("category", flat=True)
    )
    return [label for category, label in SCRIPT_WARNINGS.items() if category not in present]


def setup_warnings(user: User) -> list[str]:
    """One sentence per shop the user supervises that lacks a scheduled-message script.
    For the outbox page and the home page."""
    warnings = []
    for shop in restrict(Shop.objects.filter(is_active=True), user, "outreach.view", "pk"):
        missing = missing_scripts(shop)
        if missing:
            warnings.append(
                _("%(shop)s 没有%(kinds)s话术：这些消息不会发送，请到话术库添加。")
                % {"shop": shop.name, "kinds": "、".join(missing)}
            )
    return warnings


def reminder_stats(*, shop_ids: list[int], start: date, end: date) -> QuerySet:
    """Payment-reminder KPIs for the KPI module: one row per (shop_id, agent_id, day) with
    ``sent`` and ``succeeded`` (催付成功率 = succeeded / sent), for days start..end
    inclusive, in Asia/Shanghai. ``agent_id`` is None for reminders no agent is credited
    with (see outreach.reminders.attributed_agent); count them for the shop only. A
    reminder sent on day D that succeeds on day D+1 counts on day D."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        Reminder.objects.filter(
            shop_id__in=shop_ids,
            sent_at__gte=datetime.combine(start, time.min, tzinfo=zone),
            sent_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
        )
        .annotate(day=TruncDate("sent_at", tzinfo=zone))
        .values("shop_id", "agent_id", "day")
        .annotate(sent=Count("pk"), succeeded=Count("pk", filter=Q(succeeded=True)))
        .order_by("day", "shop_id", "agent_id")
    )
