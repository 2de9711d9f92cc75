"""The pages catch up with ``?after=<the highest message id they hold>``. That is exact
only if, within one conversation, a message with a higher id is never committed before
one with a lower id: every message is written under the conversation's row lock
(chats.services.replies.post_message, intake), so a second writer waits for the first
to commit before it takes its id. And the page's "highest id" must be the highest id,
not the id of the message with the latest ``sent_at`` (a bridge may send old times)."""

import re
import threading
import time
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection, transaction
from django.urls import reverse

from accounts.roles import Role
from chats.models import ChannelKind, Conversation, Message, Sender
from chats.services import conversation_reply, stock_wish_record
from orders.models import Sku
from tests.factories import make_user

from .factories import make_channel, make_conversation

AFTER = re.compile(r"messages/\?after=(\d+)")
MESSAGE_IDS = re.compile(r'id="msg-(\d+)"')


def fetch(client, conversation, after):
    response = client.get(reverse("chats:messages", args=[conversation.pk]) + f"?after={after}")
    if response.status_code == 204:
        return [], after
    body = response.content.decode()
    return [int(i) for i in MESSAGE_IDS.findall(body)], int(AFTER.search(body).group(1))


def in_thread(function):
    outcome = {}

    def run():
        try:
            outcome["result"] = function()
        except Exception as error:  # reported by the test
            outcome["error"] = error
        finally:
            close_old_connections()
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def wait_until_someone_waits_for_a_lock():
    with connection.cursor() as cursor:
        for _ in range(200):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the second writer never waited for the row lock")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_a_message_committed_after_a_newer_one_still_reaches_the_agent(shop, now, client):
    """A reply holds the conversation's row lock; meanwhile an internal note is written.
    Had the note taken its id before waiting for the lock, the reply (a higher id) would
    commit first, the page would move past it, and the note would never be fetched."""
    agent = make_user(shop, Role.PRE_SALE)
    conversation = make_conversation(shop, now=now, assignee=agent, state="active")
    sku = Sku.objects.create(shop=shop, code="T-1", title="连衣裙", price=99, stock=0)
    client.force_login(agent)
    shown, after = fetch(client, conversation, 0)
    holding, go = threading.Event(), threading.Event()

    def reply_holding_the_lock():
        with transaction.atomic():
            held = Conversation.objects.select_for_update().get(pk=conversation.pk)
            holding.set()
            go.wait(10)
            conversation_reply(actor=agent, conversation=held, text="好的亲", now=now)

    replying, reply_outcome = in_thread(reply_holding_the_lock)
    assert holding.wait(10)
    noted, commit_note = threading.Event(), threading.Event()

    def note_committed_late():
        with transaction.atomic():
            stock_wish_record(actor=agent, conversation=conversation, sku=sku, now=now)
            noted.set()
            commit_note.wait(10)

    noting, note_outcome = in_thread(note_committed_late)
    wait_until_someone_waits_for_a_lock()
    go.set()
    replying.join(10)
    assert noted.wait(10)
    seen, after = fetch(client, conversation, after)  # the reply is in, the note not yet
    shown += seen
    commit_note.set()
    noting.join(10)
    seen, after = fetch(client, conversation, after)
    shown += seen

    assert "error" not in reply_outcome and "error" not in note_outcome
    stored = list(Message.objects.filter(conversation=conversation).values_list("pk", flat=True))
    assert sorted(shown) == sorted(stored)


@pytest.fixture
def bridged(shop, now):
    agent = make_user(shop, Role.PRE_SALE)
    channel = make_channel(shop, ChannelKind.BRIDGE)
    conversation = make_conversation(
        shop, now=now, channel=channel, assignee=agent, state="active", messages=2
    )
    return agent, channel, conversation


def late_bridge_message(conversation, channel, now):
    """Stored last, but the bridge says the buyer wrote it a minute ago."""
    return Message.objects.create(
        conversation=conversation,
        channel=channel,
        sender=Sender.BUYER,
        text="补一句：要红色",
        sent_at=now - timedelta(minutes=1),
    )


@pytest.mark.django_db
def test_the_page_catches_up_after_its_highest_id_not_its_latest_time(bridged, now, login):
    agent, channel, conversation = bridged
    late = late_bridge_message(conversation, channel, now)
    page = login(agent).get(reverse("chats:conversation", args=[conversation.pk]))
    assert int(AFTER.search(page.content.decode()).group(1)) == late.pk


@pytest.mark.django_db
def test_a_catch_up_fetch_hands_on_its_highest_id(bridged, now, login):
    agent, channel, conversation = bridged
    first = conversation.messages.order_by("pk").first()
    late = late_bridge_message(conversation, channel, now)
    ids, after = fetch(login(agent), conversation, first.pk)
    assert late.pk in ids and after == late.pk
