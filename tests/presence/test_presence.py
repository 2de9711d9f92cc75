"""Who else is viewing or typing: marks with a short life, read for the staff who may see
the object, refused for everyone else. The clock is moved, never waited for."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.permissions import roles_by_shop
from accounts.roles import Role
from presence.marks import TYPING_SECONDS, VIEWING_SECONDS
from presence.selectors import watchers_of, watchers_of_many
from presence.services import presence_leave, presence_mark
from presence.signals import watchers_changed
from tests.chats.factories import make_conversation
from tests.factories import make_user
from tests.orders.factories import make_problem
from tests.tickets.factories import make_ticket
from tickets.models import TicketType

pytestmark = pytest.mark.django_db


@pytest.fixture
def agents(shop):
    return (
        make_user(shop, Role.PRE_SALE, username="a", display_name="小美", work_number="1001"),
        make_user(shop, Role.PRE_SALE, username="b", display_name="阿杰", work_number="1002"),
    )


@pytest.fixture
def conversation(shop, now, agents):
    return make_conversation(shop, now=now, assignee=agents[0], state="active")


def labels(marks):
    return [m.label for m in marks]


def test_another_agent_viewing_is_seen_and_oneself_is_not(conversation, agents, now):
    a, b = agents
    presence_mark(actor=a, target=conversation, now=now)
    presence_mark(actor=b, target=conversation, now=now)

    seen_by_b = watchers_of(viewer=b, target=conversation, now=now)
    assert labels(seen_by_b.viewing) == ["小美 (1001)"]
    assert seen_by_b.typing == []
    assert labels(watchers_of(viewer=a, target=conversation, now=now).viewing) == ["阿杰 (1002)"]


def test_a_viewer_without_heartbeat_goes_after_the_viewing_time(conversation, agents, now):
    a, b = agents
    presence_mark(actor=a, target=conversation, now=now)
    last_moment = now + timedelta(seconds=VIEWING_SECONDS)
    assert watchers_of(viewer=b, target=conversation, now=last_moment).others
    later = last_moment + timedelta(seconds=1)
    assert watchers_of(viewer=b, target=conversation, now=later).others == []


def test_typing_expires_before_viewing(conversation, agents, now):
    a, b = agents
    presence_mark(actor=a, target=conversation, now=now, typing=True)
    assert labels(watchers_of(viewer=b, target=conversation, now=now).typing) == ["小美 (1001)"]

    later = now + timedelta(seconds=TYPING_SECONDS + 1)
    # A plain heartbeat keeps the viewer but does not renew the typing.
    presence_mark(actor=a, target=conversation, now=later)
    watchers = watchers_of(viewer=b, target=conversation, now=later)
    assert watchers.typing == []
    assert labels(watchers.viewing) == ["小美 (1001)"]


def test_leaving_removes_the_mark_at_once(conversation, agents, now):
    a, b = agents
    presence_mark(actor=a, target=conversation, now=now)
    presence_leave(actor=a, target=conversation, now=now)
    assert watchers_of(viewer=b, target=conversation, now=now).others == []


def test_typing_where_another_agent_holds_the_conversation_is_a_collision(
    conversation, agents, now
):
    a, b = agents
    presence_mark(actor=b, target=conversation, now=now)
    assert not watchers_of(viewer=b, target=conversation, now=now).collision
    presence_mark(actor=b, target=conversation, now=now, typing=True)
    watchers = watchers_of(viewer=b, target=conversation, now=now)
    assert watchers.collision
    assert watchers.holder == a
    # The holder typing in their own conversation is not warned: only they can send.
    presence_mark(actor=a, target=conversation, now=now, typing=True)
    seen_by_holder = watchers_of(viewer=a, target=conversation, now=now)
    assert labels(seen_by_holder.typing) == ["阿杰 (1002)"]
    assert not seen_by_holder.collision


def test_two_agents_typing_in_a_waiting_conversation_collide(shop, agents, now):
    a, b = agents
    waiting = make_conversation(shop, now=now)
    presence_mark(actor=a, target=waiting, now=now, typing=True)
    presence_mark(actor=b, target=waiting, now=now, typing=True)
    watchers = watchers_of(viewer=b, target=waiting, now=now)
    assert watchers.holder is None
    assert watchers.collision


def test_watchers_changed_is_announced_on_arrival_and_typing_not_on_a_steady_beat(
    conversation, agents, now
):
    a, _b = agents
    heard = []

    def listen(sender, **kwargs):
        heard.append((kwargs["kind"], kwargs["object_id"], kwargs["shop_id"]))

    watchers_changed.connect(listen)
    try:
        presence_mark(actor=a, target=conversation, now=now)
        presence_mark(actor=a, target=conversation, now=now + timedelta(seconds=10))
        presence_mark(actor=a, target=conversation, now=now + timedelta(seconds=11), typing=True)
        presence_leave(actor=a, target=conversation, now=now + timedelta(seconds=12))
    finally:
        watchers_changed.disconnect(listen)
    change = ("conversation", conversation.pk, conversation.shop_id)
    assert heard == [change, change, change]


def test_another_shops_staff_may_neither_mark_nor_read(conversation, other_shop, agents, now):
    stranger = make_user(other_shop, Role.MANAGER, username="stranger")
    presence_mark(actor=agents[0], target=conversation, now=now)
    with pytest.raises(PermissionDenied):
        presence_mark(actor=stranger, target=conversation, now=now)
    with pytest.raises(PermissionDenied):
        watchers_of(viewer=stranger, target=conversation, now=now)
    assert watchers_of_many(viewer=stranger, targets=[conversation], now=now) == {}


def test_problems_and_tickets_need_their_own_role(shop, agents, now):
    pre_sale = agents[0]
    in_sale = make_user(shop, Role.IN_SALE, username="insale")
    after_sale = make_user(shop, Role.AFTER_SALE, username="aftersale")
    problem = make_problem(shop, now)
    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now)

    presence_mark(actor=in_sale, target=problem, now=now)
    presence_mark(actor=after_sale, target=ticket, now=now)
    presence_mark(actor=after_sale, target=problem, now=now)
    assert len(watchers_of(viewer=in_sale, target=problem, now=now).viewing) == 1
    with pytest.raises(PermissionDenied):
        presence_mark(actor=pre_sale, target=problem, now=now)
    with pytest.raises(PermissionDenied):
        watchers_of(viewer=in_sale, target=ticket, now=now)
    # Typing is a conversation's: on a ticket it is ignored.
    presence_mark(actor=after_sale, target=ticket, now=now, typing=True)
    assert watchers_of(viewer=make_user(shop, Role.SUPERVISOR), target=ticket, now=now).typing == []


def test_queue_rows_read_every_watcher_in_one_go_without_queries(
    shop, agents, now, django_assert_num_queries
):
    a, b = agents
    watched, alone = make_conversation(shop, now=now), make_conversation(shop, now=now)
    presence_mark(actor=a, target=watched, now=now, typing=True)
    presence_mark(actor=b, target=alone, now=now)
    roles_by_shop(b)  # the user's roles are read once per request, before any row
    with django_assert_num_queries(0):
        found = watchers_of_many(viewer=b, targets=[watched, alone], now=now)
    assert set(found) == {watched.pk}
    assert labels(found[watched.pk].typing) == ["小美 (1001)"]


def test_heartbeat_answers_with_the_fragment_and_the_collision_warning(
    client, conversation, agents, now
):
    a, b = agents
    client.force_login(a)
    client.post(reverse("presence:beat", args=["conversation", conversation.pk]))
    client.force_login(b)
    url = reverse("presence:beat", args=["conversation", conversation.pk])

    viewing = client.post(url).content.decode()
    assert "小美 (1001)" in viewing
    assert 'data-testid="collision"' not in viewing

    typing = client.post(url, {"typing": "1"}).content.decode()
    assert 'data-testid="collision"' in typing
    assert "小美 (1001) 正在接待这个会话" in typing

    fragment = client.get(reverse("presence:watchers", args=["conversation", conversation.pk]))
    assert "小美 (1001)" in fragment.content.decode()


def test_pages_of_other_shops_objects_and_unknown_kinds_are_404(
    client, conversation, other_shop, now
):
    stranger = make_user(other_shop, Role.MANAGER, username="stranger")
    client.force_login(stranger)
    assert (
        client.post(reverse("presence:beat", args=["conversation", conversation.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("presence:watchers", args=["conversation", conversation.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("presence:watchers", args=["order", conversation.pk])).status_code == 404
    )


def test_each_page_carries_the_watchers_box(client, shop, conversation, agents, now):
    boss = make_user(shop, Role.MANAGER, username="boss")
    client.force_login(boss)
    problem = make_problem(shop, now)
    ticket = make_ticket(shop, TicketType.REFUND_ONLY, now)
    pages = {
        reverse("presence:beat", args=["conversation", conversation.pk]): reverse(
            "chats:conversation", args=[conversation.pk]
        ),
        reverse("presence:beat", args=["problem", problem.pk]): reverse(
            "orders:problem", args=[problem.pk]
        ),
        reverse("presence:beat", args=["ticket", ticket.pk]): reverse(
            "tickets:detail", args=[ticket.pk]
        ),
    }
    for beat_url, page in pages.items():
        html = client.get(page, headers={"HX-Request": "true"} if "problems" in page else {})
        assert f'data-presence-beat="{beat_url}"' in html.content.decode(), page


def test_the_queue_rows_show_who_else_is_there(client, shop, agents, now):
    a, b = agents
    watched = make_conversation(shop, now=now)
    presence_mark(actor=a, target=watched, now=now, typing=True)
    client.force_login(b)
    html = client.get(reverse("chats:queue"), {"view": "waiting"}).content.decode()
    assert 'data-testid="row-watchers"' in html
    assert "小美 (1001) 正在输入…" in html
