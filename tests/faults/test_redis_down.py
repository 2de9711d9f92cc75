"""Redis (cache and Celery broker) is down: agents' pages still serve, actions that queue
a task still commit their change, and once Redis is back the beat sweep finds the work
whose task was lost.

Cache and broker point at a throwaway redis-server (see conftest.py) that the test
kills; the machine's shared Redis is never touched.
"""

import logging

import pytest
import redis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from chats.models import AgentPresence, Conversation, ConversationState, PresenceStatus
from chats.tasks import chats_sweep
from helpdesk import clock
from helpdesk.celery import app
from helpdesk.jobs import run_job
from orders.jobs import IMPORT_QUEUE_GRACE
from orders.models import ImportRun, ImportStatus, Order
from orders.tasks import import_run_task
from tests.chats.factories import make_channel
from tests.exports import PAID, csv_text, order_row

pytestmark = pytest.mark.faults

# Pages that read or write the cache, each with what it keeps there. A page that stops
# touching the cache fails the test below: replace it with one that still does.
PAGES = {
    "kpi:dashboard": (Role.MANAGER, {}),  # today's figures
    "kpi:agents": (Role.SUPERVISOR, {"period": "today"}),  # today's figures per agent
    "kpi:mine": (Role.PRE_SALE, {}),  # the agent's figures of today
    "orders:import_run": (Role.IN_SALE, None),  # a running import's progress
}


def point_celery_at(url: str) -> None:
    app.conf.broker_url = url
    app._after_fork()  # drop the connection and producer pools built for the old URL


@pytest.fixture
def redis_down(throwaway_redis, settings):
    """Cache and broker on the throwaway Redis, which is then killed."""
    settings.CACHES = {
        "default": {
            "BACKEND": "helpdesk.cache.FailSoftRedisCache",
            "LOCATION": throwaway_redis.url,
        }
    }
    shared_broker = app.conf.broker_url
    point_celery_at(throwaway_redis.url)
    throwaway_redis.stop()
    yield throwaway_redis
    point_celery_at(shared_broker)


def _running_import(shop, staff):
    return ImportRun.objects.create(
        shop=shop,
        kind="orders",
        file_name="orders.csv",
        stored_path="imports/orders.csv",
        created_by=staff[Role.IN_SALE],
        created_at=clock.now(),
        status=ImportStatus.RUNNING,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_pages_that_use_the_cache_serve_while_redis_is_down(
    redis_down, login, shop, staff, name, caplog
):
    role, query = PAGES[name]
    args = [_running_import(shop, staff).pk] if query is None else []
    url = reverse(name, args=args)
    caplog.set_level(logging.WARNING, logger="helpdesk.cache")
    response = login(staff[role]).get(url, query or {})
    assert response.status_code == 200
    assert "cache unavailable" in caplog.text, f"{name} no longer touches the cache"


@pytest.mark.django_db
def test_the_buyers_chat_page_takes_messages_while_redis_is_down(redis_down, shop, caplog):
    """Its throttles count in Redis; while Redis is away they open up, they never refuse."""
    make_channel(shop)
    caplog.set_level(logging.WARNING, logger="helpdesk.cache")
    buyer = Client()
    buyer.post(reverse("buyer_chat:chat", args=[shop.code]), {"nick": "夏天的风"})
    sent = buyer.post(
        reverse("buyer_chat:send", args=[shop.code]), {"text": "在吗？"}, HTTP_HX_REQUEST="true"
    )
    assert sent.status_code == 204 and Conversation.objects.count() == 1
    assert "cache unavailable" in caplog.text


@pytest.mark.django_db(transaction=True)  # on-commit callbacks run inside the request
def test_actions_commit_while_redis_is_down_and_the_sweep_finds_their_work_after(
    redis_down, client, login, shop, staff, caplog
):
    make_channel(shop)
    agent = staff[Role.PRE_SALE]

    # The agent comes online: the task that hands them waiting chats cannot be queued.
    caplog.set_level(logging.WARNING, logger="helpdesk.celery")
    response = login(agent).post(reverse("chats:presence"), {"status": "online"})
    assert response.status_code == 302
    assert AgentPresence.objects.get(user=agent).status == PresenceStatus.ONLINE

    # A buyer writes in: the message is kept, its assignment task is lost too.
    buyer = type(client)()
    buyer.post(reverse("buyer_chat:chat", args=[shop.code]), {"nick": "夏天的风"})
    sent = buyer.post(reverse("buyer_chat:send", args=[shop.code]), {"text": "在吗？"})
    assert sent.status_code in (204, 302)
    conversation = Conversation.objects.get()
    assert conversation.buyer_message_count == 1 and conversation.assignee is None
    assert "could not queue" in caplog.text

    # Redis comes back; beat's next chats_sweep (every 5 s) is published and, run by a
    # worker, assigns the conversation whose own task was lost.
    redis_down.start()
    chats_sweep.delay()
    assert redis.Redis.from_url(redis_down.url).llen("celery") == 1
    report = chats_sweep.apply().get()
    assert report["assign_waiting_conversations"]["assigned"] == 1
    conversation.refresh_from_db()
    assert conversation.assignee == agent and conversation.state == ConversationState.ACTIVE


@pytest.mark.django_db(transaction=True)
def test_an_upload_made_while_redis_is_down_is_imported_after_by_the_resume_sweep(
    redis_down, login, shop, staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = login(staff[Role.IN_SALE])
    rows = [order_row(订单状态=PAID), order_row("3012345678901234568")]
    export = SimpleUploadedFile("orders.csv", csv_text(rows).encode("gb18030"))
    response = client.post(
        reverse("orders:import"), {"shop": shop.code, "kind": "", "file": export}
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302 and run.status == ImportStatus.QUEUED
    assert client.get(reverse("orders:import_run", args=[run.pk])).status_code == 200

    redis_down.start()
    assert run_job("import_runs_resume", now=run.created_at)["requeued"] == 0  # still fresh
    later = run.created_at + IMPORT_QUEUE_GRACE
    assert run_job("import_runs_resume", now=later)["requeued"] == 1
    assert redis.Redis.from_url(redis_down.url).llen("celery") == 1
    import_run_task.apply(args=[run.pk])  # what the worker does with it
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE and Order.objects.filter(shop=shop).count() == 2
