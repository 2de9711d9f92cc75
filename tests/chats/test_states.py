"""The conversation state table: the steps it allows, the refusals, and that every state
change in chats/ goes through it."""

import ast
from pathlib import Path

import pytest
from django.utils import translation

from accounts.roles import Role
from chats.errors import TransitionNotAllowed
from chats.models import Conversation, ConversationState
from chats.services.assignment import assign_to
from chats.states import TRANSITIONS, ConversationAction, transition
from tests.factories import make_user

from .factories import make_conversation

S, A = ConversationState, ConversationAction
CHATS = Path(__file__).resolve().parents[2] / "chats"


@pytest.mark.parametrize(
    ("state", "action", "expected"),
    [
        (S.QUEUED, A.ASSIGN, S.ACTIVE),
        (S.ACTIVE, A.ASSIGN, S.ACTIVE),
        (S.QUEUED, A.ESCALATE, S.ACTIVE),
        (S.ACTIVE, A.REQUEUE, S.QUEUED),
        (S.QUEUED, A.CLOSE, S.CLOSED),
        (S.ACTIVE, A.CLOSE, S.CLOSED),
        (S.CLOSED, A.REOPEN, S.ACTIVE),
    ],
)
def test_allowed_step_moves_the_conversation(state, action, expected):
    conversation = Conversation(state=state)

    assert transition(conversation, action) == expected
    assert conversation.state == expected


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (S.CLOSED, A.CLOSE),
        (S.CLOSED, A.ASSIGN),
        (S.CLOSED, A.REQUEUE),
        (S.CLOSED, A.ESCALATE),
        (S.ACTIVE, A.ESCALATE),
        (S.QUEUED, A.REOPEN),
        (S.ACTIVE, A.REOPEN),
    ],
)
def test_step_outside_the_table_is_refused_and_changes_nothing(state, action):
    conversation = Conversation(state=state)

    with pytest.raises(TransitionNotAllowed):
        transition(conversation, action)
    assert conversation.state == state


def test_refusal_names_the_state_and_the_action_for_a_person():
    with translation.override("zh-hans"), pytest.raises(TransitionNotAllowed) as refused:
        transition(Conversation(state=S.CLOSED), A.CLOSE)
    assert str(refused.value) == "会话当前状态为「已结束」，无法执行「结束会话」。"
    with translation.override("en"), pytest.raises(TransitionNotAllowed) as refused:
        transition(Conversation(state=S.CLOSED), A.CLOSE)
    assert str(refused.value) == "The conversation is “Closed”; “End chat” is not possible now."


def test_every_state_is_left_by_some_step_and_reached_by_some_step():
    assert {frm for frm, _action in TRANSITIONS} == set(S)
    assert set(TRANSITIONS.values()) == set(S)


@pytest.mark.django_db
def test_assigning_a_closed_conversation_is_refused_and_it_stays_closed(shop, now):
    agent = make_user(shop, Role.PRE_SALE)
    conversation = make_conversation(shop, now=now, state=S.CLOSED)

    with pytest.raises(TransitionNotAllowed):
        assign_to(conversation, agent, now=now)

    conversation.refresh_from_db()
    assert (conversation.state, conversation.assignee_id) == (S.CLOSED, None)


def _state_assignments(path: Path) -> list[int]:
    """Lines of ``path`` that assign to a ``.state`` attribute or pass ``state=`` to an
    update()."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text())):
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        lines += [t.lineno for t in targets if isinstance(t, ast.Attribute) and t.attr == "state"]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "update"
            and any(k.arg == "state" for k in node.keywords)
        ):
            lines.append(node.lineno)
    return lines


def test_conversation_state_is_set_only_by_the_table():
    offenders = {
        str(path.relative_to(CHATS)): lines
        for path in CHATS.rglob("*.py")
        if "migrations" not in path.parts and path.name != "states.py"
        if (lines := _state_assignments(path))
    }
    assert offenders == {}
