import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from accounts.models import Membership, Shop
from accounts.roles import Role
from helpdesk.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_shops_and_every_role_once(client, capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    assert Shop.objects.count() == 3
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    out = capsys.readouterr().out
    assert "Demo data already loaded." in out
    response = client.post("/accounts/login/", {"username": "xiaomei", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_seed_demo_names_each_demo_shops_buyer_chat_page_for_the_banner(client, capsys):
    call_command("seed_demo", "--base-url", "http://127.0.0.1:8110/")
    out = capsys.readouterr().out
    for shop in Shop.objects.all():
        url = f"http://127.0.0.1:8110/c/{shop.code}/"
        assert f"{shop.name}" in out and url in out
        assert client.get(url.removeprefix("http://127.0.0.1:8110")).status_code == 200


def test_run_job_rejects_a_bad_time_naming_the_format():
    with pytest.raises(CommandError, match="ISO-8601"):
        call_command("run_job", "payment_reminders", "--at", "tomorrow morning")


def test_run_job_rejects_an_unknown_job():
    with pytest.raises(CommandError, match="Unknown job"):
        call_command("run_job", "make_coffee")


def test_add_shop_creates_then_updates(capsys):
    call_command("add_shop", "new-shop", "新店", "--platform", "tmall")
    call_command("add_shop", "new-shop", "新店改名", "--platform", "tmall")
    shop = Shop.objects.get(code="new-shop")
    assert shop.name == "新店改名" and shop.platform == "tmall"
    assert "Updated shop new-shop" in capsys.readouterr().out


def test_demo_chats_and_problems_match_each_shops_goods(now):
    from chats.models import Message
    from orders.models import Problem, ProblemCategory

    call_command("seed_demo")
    tea = Message.objects.filter(conversation__shop__code="shanye-tea", text__contains="茶")
    assert tea.exists()
    clothes = Message.objects.exclude(conversation__shop__code="shanye-tea")
    assert not clothes.filter(text__contains="茶").exists()
    cod = Problem.objects.filter(category=ProblemCategory.COD_CONFIRM).select_related("order")
    assert cod.exists() and all(problem.order.is_cod for problem in cod)


CLOTHES_WORDS = ("衣服", "裙", "尺码", "开衫", "面料", "大衣")


def test_demo_reviews_and_their_chats_match_each_shops_goods(now):
    from chats.models import Message
    from reviews.models import Review

    call_command("seed_demo")
    tea_reviews = Review.objects.filter(shop__code="shanye-tea")
    assert tea_reviews.filter(text__contains="茶").exists()
    tea_texts = [r.text for r in tea_reviews] + list(
        Message.objects.filter(conversation__shop__code="shanye-tea").values_list("text", flat=True)
    )
    assert not [text for text in tea_texts if any(word in text for word in CLOTHES_WORDS)]
    clothes_reviews = Review.objects.exclude(shop__code="shanye-tea")
    assert clothes_reviews.exists() and not clothes_reviews.filter(text__contains="茶").exists()


def test_demo_tickets_match_their_shops_goods(now):
    from tickets.models import Ticket

    call_command("seed_demo")
    clothes = Ticket.objects.exclude(shop__code="shanye-tea")
    assert clothes.exists() and not clothes.filter(description__contains="茶").exists()
    tea = Ticket.objects.filter(shop__code="shanye-tea")
    assert not [t for t in tea if any(word in t.description for word in CLOTHES_WORDS)]


def test_demo_image_libraries_match_their_shops_goods(now):
    from catalogue.models import LibraryImage

    call_command("seed_demo")
    tea = list(LibraryImage.objects.filter(shop__code="shanye-tea").values_list("name", flat=True))
    assert tea and not [name for name in tea if any(word in name for word in CLOTHES_WORDS)]
    clothes = LibraryImage.objects.exclude(shop__code="shanye-tea")
    assert clothes.filter(name="尺码表").exists()


def test_demo_buyers_keep_writing_only_in_demo_shops(now):
    from chats.models import Message
    from helpdesk.jobs import run_job
    from tests.factories import make_shop

    call_command("seed_demo")
    stranger = make_shop(code="real-shop")
    before = Message.objects.count()
    report = run_job("demo_buyers", now=now)
    assert report["sent"] == 3 and Message.objects.count() == before + 3
    assert not Message.objects.filter(conversation__shop=stranger).exists()


@pytest.mark.parametrize("weekday", [0, 5])  # the Monday job's own day, and a Saturday
def test_demo_has_conversations_queued_for_quality_review_whatever_the_weekday(weekday):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    import time_machine

    from accounts.models import User
    from kpi.models import QaKind, QaReview, QaState

    monday = datetime(2026, 11, 30, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(monday + timedelta(days=weekday), tick=False):
        call_command("seed_demo")
    queued = QaReview.objects.filter(kind=QaKind.SAMPLE, state=QaState.QUEUED)
    assert queued.exists()
    supervisor = User.objects.get(username="lijing")
    client = Client()
    client.force_login(supervisor)
    page = client.get("/kpi/qa/").content.decode()
    assert any(f"/kpi/qa/{pk}/" in page for pk in queued.values_list("pk", flat=True))


def test_the_demo_leaves_the_online_agent_room_to_claim_by_hand(now):
    """xiaomei is online with her workspace open; automatic assignment runs and demo buyers
    keep writing for an hour: she never reaches her limit, and 接入 works on a waiting chat."""
    from datetime import timedelta

    from accounts.models import User
    from chats.models import AgentPresence, Conversation, ConversationState, Queue
    from chats.services import assign_waiting, conversation_claim
    from chats.services.assignment import active_load
    from helpdesk.jobs import run_job

    call_command("seed_demo")
    mei = User.objects.get(username="xiaomei")
    limit = Shop.objects.get(code="shanye-tea").chat_limit_per_agent
    for minute in range(0, 60, 2):
        moment = now + timedelta(minutes=minute)
        AgentPresence.objects.filter(user=mei).update(last_seen_at=moment)
        run_job("demo_buyers", now=moment)
        for shop in Shop.objects.all():
            assign_waiting(shop=shop, now=moment)
        assert active_load(mei) < limit - 1, minute
    waiting = Conversation.objects.filter(
        state=ConversationState.QUEUED, queue=Queue.PRE_SALE, shop__memberships__user=mei
    ).first()
    assert waiting is not None
    client = Client()
    client.force_login(mei)
    page = client.get(f"/chats/{waiting.pk}/").content.decode()
    assert 'data-testid="claim">' in page and "claim-blocked" not in page
    conversation_claim(actor=mei, conversation=waiting, now=now + timedelta(hours=1))
    assert Conversation.objects.get(pk=waiting.pk).assignee == mei
