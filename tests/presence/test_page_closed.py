"""A page whose event stream ends (closed tab, lost network, sleeping laptop: no leave
beacon) takes its presence with it at once, announced to the others, instead of the mark
expiring unseen after VIEWING_SECONDS."""

import pytest
from asgiref.sync import async_to_sync
from django.urls import reverse

from accounts.roles import Role
from live.streams import agent_stream
from presence.selectors import watchers_of
from presence.services import page_closer, presence_mark, presence_page_closed
from presence.signals import watchers_changed
from tests.chats.factories import make_conversation
from tests.factories import make_user
from tests.live.support import StreamReader

pytestmark = pytest.mark.django_db

PAGE = "0f5c2a9e-page-one"
OTHER_PAGE = "77d1b3c4-page-two"


@pytest.fixture
def agents(shop):
    return make_user(shop, Role.PRE_SALE), make_user(shop, Role.PRE_SALE)


@pytest.fixture
def conversation(shop, now, agents):
    return make_conversation(shop, now=now, assignee=agents[0], state="active")


@pytest.fixture
def announced():
    record = []

    def receiver(sender, kind, object_id, shop_id, **kwargs):
        record.append((kind, object_id, shop_id))

    watchers_changed.connect(receiver)
    yield record
    watchers_changed.disconnect(receiver)


def test_the_pages_marks_go_and_the_others_are_told(conversation, agents, now, announced):
    a, b = agents
    presence_mark(actor=a, target=conversation, now=now, page=PAGE)
    announced.clear()

    presence_page_closed(user_id=a.pk, page=PAGE, now=now)

    assert watchers_of(viewer=b, target=conversation, now=now).others == []
    assert announced == [("conversation", conversation.pk, conversation.shop_id)]


def test_a_mark_another_page_of_the_same_agent_refreshed_stays(conversation, agents, now):
    a, b = agents
    presence_mark(actor=a, target=conversation, now=now, page=PAGE)
    presence_mark(actor=a, target=conversation, now=now, page=OTHER_PAGE)

    presence_page_closed(user_id=a.pk, page=PAGE, now=now)

    assert watchers_of(viewer=b, target=conversation, now=now).others


def test_another_users_page_id_removes_nothing(conversation, agents, now, announced):
    a, b = agents
    presence_mark(actor=a, target=conversation, now=now, page=PAGE)
    announced.clear()

    presence_page_closed(user_id=b.pk, page=PAGE, now=now)

    assert watchers_of(viewer=b, target=conversation, now=now).others
    assert announced == []


def test_the_stream_ending_closes_its_page(memory_layer, shop, conversation, agents, now):
    a, b = agents
    presence_mark(actor=a, target=conversation, now=now, page=PAGE)
    reader = StreamReader(agent_stream(a, [shop.pk], on_close=page_closer(a.pk, PAGE)))

    async def open_then_drop():
        await reader.next_frame()  # hello: the page is connected
        await reader.close()  # the client went away

    async_to_sync(open_then_drop)()

    assert watchers_of(viewer=b, target=conversation, now=now).others == []


def test_the_heartbeat_names_its_page(login, conversation, agents, now):
    a, b = agents
    beat = reverse("presence:beat", args=["conversation", conversation.pk])
    assert login(a).post(beat, {"page": PAGE}).status_code == 200

    presence_page_closed(user_id=a.pk, page=PAGE, now=now)

    assert watchers_of(viewer=b, target=conversation, now=now).others == []
