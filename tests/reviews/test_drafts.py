import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from reviews.errors import ReviewError
from reviews.etiquette import shop_review_replies
from reviews.models import DraftKind, ReplyDraft
from reviews.services import draft_save
from scripts_lib.etiquette import check
from tests.factories import make_shop

from .factories import make_review

pytestmark = pytest.mark.django_db

REPLY = "亲爱的顾客您好，非常抱歉这次的衣服让您失望了，我们已经安排专人跟进，请您留意站内消息。"


def test_a_near_identical_public_reply_to_another_review_is_flagged(shop, staff, now):
    specialist = staff[Role.REVIEW_SPECIALIST]
    draft_save(
        actor=specialist, review=make_review(shop), kind=DraftKind.PUBLIC_REPLY, text=REPLY, now=now
    )
    again = draft_save(
        actor=specialist,
        review=make_review(shop),
        kind=DraftKind.PUBLIC_REPLY,
        text=REPLY.replace("衣服", "裙子"),
        now=now,
    )
    assert [f["rule"] for f in again.findings] == ["duplicate_review_reply"]
    assert again.pk and ReplyDraft.objects.count() == 2


def test_rewriting_the_reply_to_the_same_review_is_not_a_duplicate(shop, staff, now):
    specialist, review = staff[Role.REVIEW_SPECIALIST], make_review(shop)
    draft_save(actor=specialist, review=review, kind=DraftKind.PUBLIC_REPLY, text=REPLY, now=now)
    second = draft_save(
        actor=specialist, review=review, kind=DraftKind.PUBLIC_REPLY, text=REPLY + "谢谢", now=now
    )
    assert second.findings == []


def test_another_shops_replies_do_not_count(shop, staff, now):
    other = make_shop()
    ReplyDraft.objects.create(
        review=make_review(other), shop=other, kind="public_reply", text=REPLY, created_at=now
    )
    draft = draft_save(
        actor=staff[Role.REVIEW_SPECIALIST],
        review=make_review(shop),
        kind=DraftKind.PUBLIC_REPLY,
        text=REPLY,
        now=now,
    )
    assert draft.findings == []


def test_findings_are_kept_and_do_not_block_saving(shop, staff, now):
    draft = draft_save(
        actor=staff[Role.REVIEW_SPECIALIST],
        review=make_review(shop),
        kind=DraftKind.BUYER_MESSAGE,
        text="你好，改成好评肯定给你返现5元",
        now=now,
    )
    rules = {f["rule"] for f in ReplyDraft.objects.get(pk=draft.pk).findings}
    assert {"cash_rebate", "absolute_promise", "informal_you"} <= rules


def test_drafts_need_text_and_the_reviews_role(shop, staff, now):
    review = make_review(shop)
    with pytest.raises(ReviewError):
        draft_save(
            actor=staff[Role.REVIEW_SPECIALIST],
            review=review,
            kind="public_reply",
            text=" ",
            now=now,
        )
    with pytest.raises(PermissionDenied):
        draft_save(
            actor=staff[Role.AFTER_SALE], review=review, kind="public_reply", text="您好", now=now
        )


def test_the_checker_finds_the_shops_replies_through_the_registered_source(shop, staff, now):
    draft_save(
        actor=staff[Role.REVIEW_SPECIALIST],
        review=make_review(shop),
        kind=DraftKind.PUBLIC_REPLY,
        text=REPLY,
        now=now,
    )
    assert shop_review_replies(shop, 5) == [REPLY]
    rules = [f.rule for f in check(REPLY, shop=shop, review_reply=True)]
    assert rules == ["duplicate_review_reply"]
