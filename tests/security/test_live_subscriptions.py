"""The authorization matrix, extended to the push streams: for every role, subscribing
to another shop's stream is refused, and events of another shop never reach them, not
even one that arrives on a topic they hold (the per-event check)."""

import json

import pytest
from asgiref.sync import async_to_sync
from django.urls import reverse

from accounts.roles import Role
from live.broker import broker
from live.streams import agent_stream
from tests.live.support import StreamReader

pytestmark = pytest.mark.django_db

EVERY_KIND = ["message", "queue", "alert", "import"]


@pytest.mark.parametrize("role", list(Role))
def test_subscribing_to_another_shops_stream_is_refused(role, client, shop, other_shop, staff):
    client.force_login(staff[role])
    url = reverse("live:events")
    assert client.get(url, {"shop": other_shop.pk}).status_code == 403
    assert client.get(url, {"shop": [shop.pk, other_shop.pk]}).status_code == 403
    own = client.get(url, {"shop": shop.pk})
    assert own.status_code == 200 and own["Content-Type"] == "text/event-stream"


def test_a_user_without_shops_and_an_anonymous_visitor_get_no_stream(client, other_shop):
    from tests.factories import make_user

    client.force_login(make_user())
    assert client.get(reverse("live:events")).status_code == 403
    client.logout()
    assert client.get(reverse("live:events")).status_code == 302


@pytest.mark.parametrize("role", list(Role))
def test_events_of_another_shop_are_never_delivered(role, memory_layer, shop, other_shop, staff):
    user = staff[role]
    stream = agent_stream(user, [shop.pk])
    reader = StreamReader(stream)

    def foreign_events():
        for kind in EVERY_KIND:
            foreign = json.dumps({"kind": kind, "shop": other_shop.pk, "conversation": 1})
            broker().send(f"shop:{other_shop.pk}", foreign)
            # Mislabelled onto a topic the stream holds: the per-event check drops it.
            broker().send(f"shop:{shop.pk}", foreign)
            broker().send(f"user:{user.pk}", foreign)
        broker().send(f"shop:{shop.pk}", json.dumps({"kind": "queue", "shop": shop.pk}))

    async def scenario():
        await reader.next_frame()
        await reader.act(foreign_events)
        await reader.drain()
        await reader.close()

    async_to_sync(scenario)()
    delivered = [json.loads(f.split("data: ", 1)[1]) for f in reader.frames[1:]]
    assert delivered == [{"kind": "queue", "shop": shop.pk}]
