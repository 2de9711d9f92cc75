import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from reviews.models import Review, ReviewState
from tests.factories import at, make_buyer, make_order, make_user

from .factories import make_conversation, make_message, make_review

pytestmark = pytest.mark.django_db

AGENTS = [Role.PRE_SALE, Role.IN_SALE, Role.AFTER_SALE]


def payload(**fields):
    return {
        "shop": "shop-a",
        "order_id": "3012345678901234567",
        "nick": "糖糖不吃糖",
        "rating": "negative",
        "text": "发货太慢了",
        "reviewed_at": "2026-11-22T09:00:00+08:00",
        "dsr_logistics": 1,
        **fields,
    }


@pytest.mark.parametrize("role", AGENTS)
def test_agents_get_403_on_the_collection_and_404_on_reviews(login, shop, staff, role):
    client = login(staff[role])
    review = make_review(shop)
    assert client.get("/api/v1/reviews/").status_code == 403
    assert (
        client.post("/api/v1/reviews/", payload(), content_type="application/json").status_code
        == 403
    )
    for suffix in ["", "transition/", "drafts/", "extortion/", "evidence/", "evidence-pack/"]:
        url = f"/api/v1/reviews/{review.pk}/{suffix}"
        method = client.get if suffix in ("", "evidence-pack/") else client.post
        response = method(url, {"action": "contact"}, content_type="application/json")
        assert response.status_code in (403, 404), url
    assert not Review.objects.exclude(pk=review.pk).exists()


def test_specialist_of_another_shop_gets_404_and_cannot_post_into_this_shop(
    login, shop, other_shop
):
    client = login(make_user(other_shop, Role.REVIEW_SPECIALIST))
    review = make_review(shop)
    assert client.get("/api/v1/reviews/").json()["results"] == []
    assert client.get(f"/api/v1/reviews/{review.pk}/").status_code == 404
    response = client.post(
        f"/api/v1/reviews/{review.pk}/transition/",
        {"action": "contact"},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = client.post("/api/v1/reviews/", payload(), content_type="application/json")
    assert response.status_code == 400 and "shop" in response.json()


def test_post_creates_then_is_idempotent(login, shop, staff):
    order = make_order(shop, order_id="3012345678901234567")
    client = login(staff[Role.REVIEW_SPECIALIST])
    response = client.post("/api/v1/reviews/", payload(), content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["order"] == order.pk and body["state"] == "new" and body["dsr_logistics"] == 1
    again = client.post(
        "/api/v1/reviews/", payload(text="发货太慢了！"), content_type="application/json"
    )
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Review.objects.get().text == "发货太慢了！"


def test_post_refuses_bad_values(login, shop, staff):
    client = login(staff[Role.REVIEW_SPECIALIST])
    response = client.post(
        "/api/v1/reviews/",
        payload(order_id="3.01E+18", rating="positive", dsr_logistics=7),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"order_id", "rating", "dsr_logistics"}


def test_actions_through_the_api(login, shop, staff):
    buyer = make_buyer(shop)
    review = make_review(shop, buyer=buyer)
    conversation = make_conversation(shop, buyer, when=at(2026, 11, 20, 9, 0))
    message = make_message(conversation, "给我退一半钱，不然差评", when=at(2026, 11, 20, 9, 1))
    client = login(staff[Role.REVIEW_SPECIALIST])
    base = f"/api/v1/reviews/{review.pk}/"

    def post(suffix, data):
        return client.post(base + suffix, data, content_type="application/json")

    assert post("transition/", {"action": "contact"}).json()["state"] == "contacted"
    refused = post("transition/", {"action": "mark_revised"})
    assert refused.status_code == 400 and "不能执行" in refused.json()["detail"]
    draft = post("drafts/", {"kind": "buyer_message", "text": "好评返现5元"})
    assert draft.status_code == 201 and draft.json()["findings"][0]["rule"] == "cash_rebate"
    assert post("extortion/", {"note": "要求退一半"}).json()["is_extortion"] is True
    evidence = post("evidence/", {"message_ids": [message.pk]})
    assert evidence.status_code == 201 and evidence.json()[0]["text"] == message.text
    pack = client.get(base + "evidence-pack/")
    assert pack.status_code == 200
    assert "给我退一半钱" in zipfile.ZipFile(io.BytesIO(pack.content)).read("messages.txt").decode()
    detail = client.get(base).json()
    assert len(detail["transitions"]) == 1 and len(detail["drafts"]) == 1
    assert Review.objects.get().state == ReviewState.CONTACTED


def test_list_filters_and_runs_the_same_queries_for_10_and_100(
    login, shop, staff, django_assert_num_queries
):
    client = login(staff[Role.SUPERVISOR])
    for _ in range(10):
        make_review(shop, assignee=staff[Role.REVIEW_SPECIALIST])
    make_review(shop, rating="neutral")
    with CaptureQueriesContext(connection) as ten:
        body = client.get("/api/v1/reviews/?page_size=100").json()
    for _ in range(89):
        make_review(shop, assignee=staff[Role.REVIEW_SPECIALIST])
    with django_assert_num_queries(len(ten)):
        client.get("/api/v1/reviews/")
    assert len(body["results"]) == 11 and body["next"] is None
    neutral = client.get("/api/v1/reviews/", {"rating": "neutral", "shop": "shop-a"}).json()
    assert len(neutral["results"]) == 1


def test_api_root_links_and_schema_document_reviews(login, staff):
    client = login(staff[Role.REVIEW_SPECIALIST])
    assert client.get("/api/v1/").json()["reviews"].endswith("/api/v1/reviews/")
    schema = client.get("/api/v1/schema/").content.decode()
    assert "/api/v1/reviews/{id}/evidence-pack/" in schema


def test_assigning_to_another_teams_user_does_not_reveal_their_name(login, shop, other_shop, staff):
    """The refusal named any user id given (name and work number of another team's staff)."""
    review = make_review(shop)
    stranger = make_user(other_shop, Role.REVIEW_SPECIALIST, display_name="别家小美")
    response = login(staff[Role.SUPERVISOR]).post(
        f"/api/v1/reviews/{review.pk}/assign/",
        {"assignee": stranger.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "别家小美" not in text and stranger.work_number not in text
    colleague = staff[Role.AFTER_SALE]
    response = login(staff[Role.SUPERVISOR]).post(
        f"/api/v1/reviews/{review.pk}/assign/",
        {"assignee": colleague.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and colleague.display_name in response.json()["detail"]


@pytest.mark.parametrize("code", ["shop-b", "no-such-shop"])
def test_listing_a_shop_the_caller_does_not_work_is_a_404_like_the_orders_api(
    login, shop, other_shop, staff, code
):
    make_review(other_shop)
    client = login(staff[Role.REVIEW_SPECIALIST])
    assert client.get("/api/v1/reviews/", {"shop": code}).status_code == 404
    assert client.get("/api/v1/reviews/", {"shop": "shop-a"}).status_code == 200


def test_an_unknown_assignee_id_gets_the_answer_a_foreign_one_gets(login, shop, other_shop, staff):
    """The lookup answered 404 for an id nobody holds and 400 for another shop's user, so
    a caller could tell which user ids exist."""
    review = make_review(shop)
    stranger = make_user(other_shop, Role.REVIEW_SPECIALIST)
    client = login(staff[Role.SUPERVISOR])
    answers = []
    for user_id in (stranger.pk, stranger.pk + 10_000):
        response = client.post(
            f"/api/v1/reviews/{review.pk}/assign/",
            {"assignee": user_id},
            content_type="application/json",
        )
        answers.append((response.status_code, response.json()))
    assert answers[0] == answers[1] and answers[0][0] == 400

    pages = []
    for user_id in (stranger.pk, stranger.pk + 10_000):
        response = client.post(reverse("reviews:assign", args=[review.pk]), {"assignee": user_id})
        pages.append((response.status_code, response.content.decode().replace(str(user_id), "")))
    assert pages[0] == pages[1] and pages[0][0] != 404
    review.refresh_from_db()
    assert review.assignee_id is None
