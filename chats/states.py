"""The conversation's state machine, as a table.

``TRANSITIONS[(state, action)] = new_state``: the only way a conversation's state changes
is ``transition()``, which looks the step up here. Who may act is decided before, by
``accounts.permissions`` in the services: several steps are taken by jobs with no acting
user (idle closing, escalation to a supervisor), so the table carries no roles.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .errors import TransitionNotAllowed
from .models import ConversationState


class ConversationAction(models.TextChoices):
    ASSIGN = "assign", _("分配给客服")
    ESCALATE = "escalate", _("转交主管")
    REQUEUE = "requeue", _("转入队列")
    CLOSE = "close", _("结束会话")
    REOPEN = "reopen", _("重新接待")


S, A = ConversationState, ConversationAction

TRANSITIONS: dict[tuple[ConversationState, ConversationAction], ConversationState] = {
    (S.QUEUED, A.ASSIGN): S.ACTIVE,
    # A transfer to another agent or a supervisor's reassignment keeps it in service.
    (S.ACTIVE, A.ASSIGN): S.ACTIVE,
    (S.QUEUED, A.ESCALATE): S.ACTIVE,
    (S.QUEUED, A.REQUEUE): S.QUEUED,
    (S.ACTIVE, A.REQUEUE): S.QUEUED,
    (S.QUEUED, A.CLOSE): S.CLOSED,
    (S.ACTIVE, A.CLOSE): S.CLOSED,
    # An agent answers a bargaining request after the chat was closed: it opens again.
    (S.CLOSED, A.REOPEN): S.ACTIVE,
}


def transition(conversation, action: ConversationAction) -> ConversationState:
    """Move ``conversation`` (unsaved) along the table; the caller saves and audits."""
    new_state = TRANSITIONS.get((ConversationState(conversation.state), ConversationAction(action)))
    if new_state is None:
        raise TransitionNotAllowed(
            gettext("会话当前状态为「%(state)s」，无法执行「%(action)s」。")
            % {
                "state": ConversationState(conversation.state).label,
                "action": ConversationAction(action).label,
            }
        )
    conversation.state = new_state
    return new_state
