"""No conversation is ever held by two agents: real threads, real PostgreSQL row locks."""

import threading

import pytest
from django.db import close_old_connections, connection

from accounts.roles import Role
from chats.errors import AlreadyClaimed
from chats.models import Conversation, PresenceStatus
from chats.services import conversation_assign_auto, conversation_claim, presence_set
from tests.factories import make_user

from .factories import make_conversation

pytestmark = pytest.mark.django_db(transaction=True)

CLAIMERS = 8


def run_together(functions):
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def worker(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # collected and checked by the test
            results[index] = error
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_claimers_one_wins_the_rest_are_told(shop, now):
    agents = [make_user(shop, Role.PRE_SALE) for _ in range(CLAIMERS)]
    conversations = [make_conversation(shop, now=now) for _ in range(5)]
    for conversation in conversations:
        results = run_together(
            [
                lambda agent=agent, conversation=conversation: conversation_claim(
                    actor=agent, conversation=conversation, now=now
                )
                for agent in agents
            ]
        )
        winners = [r for r in results if isinstance(r, Conversation)]
        refused = [r for r in results if isinstance(r, AlreadyClaimed)]
        assert len(winners) == 1 and len(refused) == CLAIMERS - 1
        conversation.refresh_from_db()
        assert conversation.assignee_id == winners[0].assignee_id


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_auto_assignment_respects_the_limit(shop, now):
    shop.chat_limit_per_agent = 2
    shop.save()
    agents = [make_user(shop, Role.PRE_SALE) for _ in range(2)]
    for agent in agents:
        presence_set(actor=agent, status=PresenceStatus.ONLINE, now=now)
    conversations = [make_conversation(shop, now=now) for _ in range(8)]
    results = run_together(
        [lambda c=c: conversation_assign_auto(conversation_id=c.pk, now=now) for c in conversations]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    loads = [Conversation.objects.filter(assignee=a, state="active").count() for a in agents]
    assert loads == [2, 2]
    assert Conversation.objects.filter(assignee__isnull=True).count() == 4
