"""A problem order's script (话术) sent from the problem pane to the buyer's conversation.

It belongs to chats, not orders: orders sit below chats and cannot send to a buyer; this
service uses the problem's rules (lock, hold, record a step) from ``orders.services``."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require
from audit.services import audit
from orders.errors import ProblemError
from orders.models import Problem
from orders.problem_scripts import scripts_for
from orders.services.problems import problem_hold, problem_locked, problem_record

from ..errors import InvalidMessage
from .direct import buyer_message_send


@transaction.atomic
def problem_send_script(*, actor: User, problem: Problem, key: str, now: datetime) -> Problem:
    """Send one of the problem's scripts (话术), filled in for this order, to the buyer's
    conversation through the outbox, after the etiquette check; the problem keeps a step."""
    require(actor, "problems.work", problem)
    problem = problem_locked(problem)
    script = next((s for s in scripts_for(problem, actor) if s["key"] == key), None)
    if script is None:
        raise ProblemError(_("请选择该问题可用的话术。"))
    order = problem.order
    if order.buyer is None:
        raise ProblemError(_("该订单没有买家档案，无法发送。"))
    problem_hold(actor=actor, problem=problem, now=now)
    try:
        buyer_message_send(
            actor=actor,
            shop=problem.shop,
            buyer=order.buyer,
            text=script["text"],
            now=now,
            key=f"problem-script:{problem.pk}:{key}:{now.isoformat()}",
            order=order,
        )
    except InvalidMessage as refused:
        raise ProblemError(str(refused)) from None
    problem_record(problem, "script_sent", script=key, at=now.isoformat())
    problem.save(update_fields=["detail"])
    audit(actor, "problem.script_sent", problem, changes={"script": [None, key]}, now=now)
    return problem
