import pytest
from django.urls import reverse

from accounts.roles import Role
from reviews.models import ReviewState
from reviews.selectors import (
    extortion_cases_for,
    new_reviews_per_shop_per_day,
    reviews_revised_per_specialist_per_day,
)
from reviews.services import review_mark_extortion, review_transition
from tests.factories import at, make_user

from .factories import make_review

pytestmark = pytest.mark.django_db


def test_open_extortion_cases_show_in_the_supervisors_inbox(login, shop, other_shop, staff, now):
    specialist = staff[Role.REVIEW_SPECIALIST]
    case = review_mark_extortion(
        actor=specialist, review=make_review(shop), note="<i>退款</i>否则差评", now=now
    )
    closed = review_mark_extortion(actor=specialist, review=make_review(shop), note="要挟", now=now)
    review_transition(actor=specialist, review=closed, action="appeal", now=now)
    foreign = make_review(other_shop)
    foreign.is_extortion = True
    foreign.save()
    assert list(extortion_cases_for(staff[Role.SUPERVISOR])) == [case]
    body = login(staff[Role.SUPERVISOR]).get(reverse("tickets:inbox")).content.decode()
    section = body.split('data-testid="inbox-extortion"')[1]
    assert reverse("reviews:detail", args=[case.pk]) in section
    assert reverse("reviews:detail", args=[closed.pk]) not in section
    assert "&lt;i&gt;退款&lt;/i&gt;" in section


def test_specialists_do_not_get_the_inbox_but_see_their_cases(login, shop, staff):
    assert login(staff[Role.REVIEW_SPECIALIST]).get(reverse("tickets:inbox")).status_code == 403
    assert list(extortion_cases_for(staff[Role.AFTER_SALE])) == []


def test_kpi_selectors_count_new_reviews_and_revisions(shop, other_shop, staff, now):
    make_review(shop, rating="negative", reviewed_at=at(2026, 11, 22, 23, 30))
    make_review(shop, rating="negative", reviewed_at=at(2026, 11, 22, 8, 0))
    make_review(shop, rating="neutral", reviewed_at=at(2026, 11, 23, 0, 30))
    make_review(other_shop, rating="neutral", reviewed_at=at(2026, 11, 23, 1, 0))
    rows = new_reviews_per_shop_per_day(start=now.date().replace(day=22), end=now.date())
    counted = {(r["shop_id"], str(r["day"]), r["rating"]): r["count"] for r in rows}
    assert counted == {
        (shop.pk, "2026-11-22", "negative"): 2,
        (shop.pk, "2026-11-23", "neutral"): 1,
        (other_shop.pk, "2026-11-23", "neutral"): 1,
    }
    only_a = new_reviews_per_shop_per_day(start=now.date(), end=now.date(), shop_ids=[shop.pk])
    assert [r["count"] for r in only_a] == [1]

    specialist = staff[Role.REVIEW_SPECIALIST]
    second = make_user(shop, Role.REVIEW_SPECIALIST)
    for actor in (specialist, specialist, second):
        review = make_review(shop, state=ReviewState.REVISION_REQUESTED)
        review_transition(actor=actor, review=review, action="mark_revised", now=now)
    unchanged = make_review(shop, state=ReviewState.REVISION_REQUESTED)
    review_transition(actor=second, review=unchanged, action="mark_unchanged", now=now)
    rows = reviews_revised_per_specialist_per_day(start=now.date(), end=now.date())
    assert {(r["user_id"], r["shop_id"], str(r["day"])): r["count"] for r in rows} == {
        (specialist.pk, shop.pk, "2026-11-23"): 2,
        (second.pk, shop.pk, "2026-11-23"): 1,
    }
