from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from chats.models import Conversation
from helpdesk.errors import DomainError
from helpdesk.jobs import run_job
from kpi.models import QaKind, QaReview, QaState
from kpi.qa import greeting_points, iso_week, sample_for
from kpi.services import qa_score
from tests.factories import at, make_user

from .factories import make_conversation, make_message

pytestmark = pytest.mark.django_db
SCORES = {
    "greeting": 15,
    "etiquette": 16,
    "product_knowledge": 18,
    "resolution": 20,
    "related_selling": 5,
    "closing": 10,
}


@pytest.fixture
def last_week(shop):
    """Two agents with 8 and 2 served conversations in ISO week 2026-W47 (Nov 16–22)."""
    shop.qa_sample_size = 3
    shop.save()
    busy, quiet = make_user(shop, Role.PRE_SALE), make_user(shop, Role.PRE_SALE)
    for n in range(8):
        conversation = make_conversation(
            shop,
            created_at=at(2026, 11, 16 + n % 7, 10, n),
            assignee=busy,
            first_response_seconds=8 + n,
        )
        make_message(
            conversation,
            sender="agent",
            text="亲，这个我不知道哦" if n == 0 else "您好，请问有什么可以帮您？",
            sent_at=conversation.created_at,
            author=busy,
        )
    for n in range(2):
        make_conversation(shop, created_at=at(2026, 11, 20, 9, n), assignee=quiet)
    make_conversation(shop, created_at=at(2026, 11, 23, 0, 1), assignee=quiet)  # this week
    return busy, quiet


def test_weekly_sample_is_reproducible_and_idempotent(shop, last_week, now):
    busy, quiet = last_week
    first = run_job("qa_sample", shop=shop, now=now)
    assert first["week"] == "2026-W47" and first["queued"] == 5
    chosen = set(QaReview.objects.filter(agent=busy).values_list("conversation_id", flat=True))
    candidates = Conversation.objects.filter(assignee=busy).values_list("pk", flat=True)
    assert chosen == set(sample_for(shop, busy.pk, "2026-W47", list(candidates)))
    assert run_job("qa_sample", shop=shop, now=now)["queued"] == 0
    QaReview.objects.all().delete()
    run_job("qa_sample", shop=shop, now=now)
    assert (
        set(QaReview.objects.filter(agent=busy).values_list("conversation_id", flat=True)) == chosen
    )
    assert QaReview.objects.filter(agent=quiet).count() == 2
    assert AuditEvent.objects.filter(verb="qa.sampled").count() == 2


def test_sample_differs_by_week_and_agent(shop):
    pool = list(range(1, 50))
    assert sample_for(shop, 1, "2026-W47", pool) != sample_for(shop, 1, "2026-W46", pool)
    assert sample_for(shop, 1, "2026-W47", pool) != sample_for(shop, 2, "2026-W47", pool)


def test_prefill_carries_response_times_and_etiquette_findings(shop, last_week, now):
    shop.qa_sample_size = 8
    shop.save()
    run_job("qa_sample", shop=shop, now=now)
    first = QaReview.objects.get(conversation__first_response_seconds=8)
    assert first.prefill["first_response_seconds"] == 8
    assert first.prefill["suggested"]["greeting"] == 15
    rules = {finding["rule"] for finding in first.prefill["findings"]}
    assert "dont_know" in rules
    assert first.prefill["suggested"]["etiquette"] < 20
    clean = QaReview.objects.get(conversation__first_response_seconds=12)
    assert clean.prefill["findings"] == [] and clean.prefill["suggested"]["greeting"] == 10


def test_greeting_points_follow_the_ten_second_rule():
    assert [greeting_points(s) for s in (None, 10, 11, 100, 101)] == [None, 15, 10, 5, 0]


def test_supervisor_scores_and_the_agent_sees_the_review(login, staff, shop, last_week, now):
    busy, _quiet = last_week
    run_job("qa_sample", shop=shop, now=now)
    review = QaReview.objects.filter(agent=busy).first()
    supervisor = login(staff[Role.SUPERVISOR])
    page = supervisor.get(reverse("kpi:qa_review", args=[review.pk]))
    assert page.status_code == 200 and page.context["may_score"]
    response = supervisor.post(
        reverse("kpi:qa_review", args=[review.pk]),
        {**SCORES, "comment": "问候及时，关联推荐可以更主动。"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.state == QaState.SCORED and review.total == Decimal("84")
    assert AuditEvent.objects.filter(verb="qa.scored").exists()
    agent = login(busy)
    mine = agent.get(reverse("kpi:mine"))
    assert review in list(mine.context["reviews"])
    own = agent.get(reverse("kpi:qa_review", args=[review.pk]))
    assert own.status_code == 200 and not own.context["may_score"]
    assert "关联推荐可以更主动" in own.content.decode()
    assert agent.post(reverse("kpi:qa_review", args=[review.pk]), SCORES).status_code == 403


def test_agent_cannot_see_an_unscored_or_a_colleagues_review(login, shop, last_week, now):
    busy, quiet = last_week
    run_job("qa_sample", shop=shop, now=now)
    queued = QaReview.objects.filter(agent=busy).first()
    colleagues = QaReview.objects.filter(agent=quiet).first()
    client = login(busy)
    assert client.get(reverse("kpi:qa_review", args=[queued.pk])).status_code == 404
    assert client.get(reverse("kpi:qa_review", args=[colleagues.pk])).status_code == 404
    assert client.get(reverse("kpi:qa_queue")).status_code == 403


def test_supervisor_of_another_shop_gets_404(login, shop, other_shop, last_week, now):
    run_job("qa_sample", shop=shop, now=now)
    review = QaReview.objects.first()
    stranger = login(make_user(other_shop, Role.SUPERVISOR))
    assert stranger.get(reverse("kpi:qa_review", args=[review.pk])).status_code == 404
    assert (
        stranger.get(reverse("kpi:conversation", args=[review.conversation_id])).status_code == 404
    )


def test_scores_outside_the_rubric_are_refused(staff, shop, last_week, now):
    run_job("qa_sample", shop=shop, now=now)
    review = QaReview.objects.first()
    with pytest.raises(DomainError):
        qa_score(
            actor=staff[Role.SUPERVISOR],
            review=review,
            scores={**SCORES, "greeting": 16},
            comment="",
            now=now,
        )
    review.refresh_from_db()
    assert review.state == QaState.QUEUED


def test_mystery_shopper_check_is_recorded_on_the_same_rubric(login, staff, shop, now):
    agent = make_user(shop, Role.PRE_SALE)
    conversation = make_conversation(
        shop, created_at=at(2026, 11, 23, 9, 0), assignee=agent, first_response_seconds=30
    )
    client = login(staff[Role.SUPERVISOR])
    url = reverse("kpi:qa_mystery", args=[conversation.pk])
    assert client.get(url).context["form"]["greeting"].initial == 10
    assert client.post(url, {**SCORES, "comment": "神秘客户：回复专业"}).status_code == 302
    review = QaReview.objects.get(kind=QaKind.MYSTERY)
    assert (
        review.agent == agent
        and review.total == Decimal("84")
        and review.week == iso_week(conversation.created_at.date())
    )
    again = client.post(url, SCORES)
    assert again.status_code == 200 and again.context["form"].non_field_errors()
