"""Review deadlines: a due time from the shop setting, an ageing badge, a breach recorded
once with an alert, and a row in the supervisors' inbox until the review is contacted."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accounts.roles import Role
from approvals.models import Notification
from reviews.deadlines import due_badge, review_breaches_record
from reviews.importing import reviews_import
from reviews.models import Review, ReviewBreach
from reviews.services import review_transition
from tests.exports import REVIEW_HEADER as HEADER

from .factories import make_review

pytestmark = pytest.mark.django_db


def test_an_imported_review_is_due_after_the_shops_hours(shop, now):
    shop.review_due_hours = 12
    shop.save()
    row = "3012345678901234561,买家甲,差评,坏,2026-11-20 10:00:00,,,\n"
    reviews_import(actor=None, shop=shop, data=(HEADER + row).encode(), now=now)
    assert Review.objects.get().due_at == now + timedelta(hours=12)


def test_the_badge_ages_and_disappears_after_first_contact(shop, staff, now):
    review = make_review(shop, due_at=now + timedelta(hours=24))
    assert due_badge(review, now=now) == ("剩 24小时0分", "green")
    assert due_badge(review, now=now + timedelta(hours=21)) == ("剩 3小时0分", "yellow")
    assert due_badge(review, now=now + timedelta(hours=25)) == ("超时 1小时0分", "red")
    review = review_transition(
        actor=staff[Role.REVIEW_SPECIALIST], review=review, action="contact", now=now
    )
    assert review.due_at is None and due_badge(review, now=now) == ("", "")


def test_a_breach_is_recorded_once_alerts_and_reaches_the_inbox(login, shop, staff, now):
    specialist = staff[Role.REVIEW_SPECIALIST]
    late = make_review(shop, due_at=now - timedelta(minutes=1))
    make_review(shop, due_at=now + timedelta(hours=1))
    assert review_breaches_record(shop=None, now=now) == {"escalated": 1, "skipped": 0}
    assert review_breaches_record(shop=None, now=now) == {"escalated": 0, "skipped": 0}
    assert ReviewBreach.objects.get().review == late
    alert = Notification.objects.get(user=specialist)
    assert alert.link == reverse("reviews:detail", args=[late.pk])
    inbox = login(staff[Role.SUPERVISOR]).get(reverse("tickets:inbox")).content.decode()
    section = inbox.split('data-testid="inbox-review-breaches"')[1]
    assert reverse("reviews:detail", args=[late.pk]) in section
    review_transition(actor=specialist, review=late, action="contact", now=now)
    inbox = login(staff[Role.SUPERVISOR]).get(reverse("tickets:inbox")).content.decode()
    section = inbox.split('data-testid="inbox-review-breaches"')[1]
    assert reverse("reviews:detail", args=[late.pk]) not in section


def test_another_shops_breaches_stay_out_of_the_inbox(login, shop, other_shop, staff, now):
    foreign = make_review(other_shop, due_at=now - timedelta(hours=1))
    review_breaches_record(shop=None, now=now)
    inbox = login(staff[Role.SUPERVISOR]).get(reverse("tickets:inbox")).content.decode()
    assert reverse("reviews:detail", args=[foreign.pk]) not in inbox


def test_the_list_and_detail_pages_show_the_ageing_badge(login, shop, staff, now):
    review = make_review(shop, due_at=now - timedelta(hours=2))
    client = login(staff[Role.REVIEW_SPECIALIST])
    with time_machine.travel(now, tick=False):
        for url in (reverse("reviews:list"), reverse("reviews:detail", args=[review.pk])):
            assert "超时 2小时0分" in client.get(url).content.decode(), url


def test_run_job_and_beat(shop, now, settings, capsys):
    make_review(shop, due_at=now - timedelta(hours=1))
    call_command("run_job", "review_breaches", "--at", now.isoformat(), "--json")
    assert '"escalated": 1' in capsys.readouterr().out
    assert settings.CELERY_BEAT_SCHEDULE["reviews.review_breaches"]["task"] == (
        "reviews.tasks.review_breaches"
    )
