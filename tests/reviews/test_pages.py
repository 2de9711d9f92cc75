import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from reviews.models import EvidenceMessage, ReplyDraft, ReviewState
from tests.factories import at, make_buyer, make_user

from .factories import make_conversation, make_message, make_review

pytestmark = pytest.mark.django_db

AGENTS = [Role.PRE_SALE, Role.IN_SALE, Role.AFTER_SALE]
XSS = '<img src=x onerror="alert(1)">差评'


def _pages(review):
    return [
        ("get", reverse("reviews:detail", args=[review.pk])),
        ("get", reverse("reviews:evidence_pack", args=[review.pk])),
        ("post", reverse("reviews:transition", args=[review.pk])),
        ("post", reverse("reviews:assign", args=[review.pk])),
        ("post", reverse("reviews:draft_check", args=[review.pk])),
        ("post", reverse("reviews:draft_save", args=[review.pk])),
        ("post", reverse("reviews:mark_extortion", args=[review.pk])),
        ("post", reverse("reviews:select_evidence", args=[review.pk])),
    ]


@pytest.mark.parametrize("role", AGENTS)
def test_agents_get_403_on_review_lists_and_404_on_reviews(login, shop, staff, role):
    client = login(staff[role])
    review = make_review(shop)
    for name in ["reviews:list", "reviews:register", "reviews:register_xlsx"]:
        assert client.get(reverse(name)).status_code == 403, name
    for method, url in _pages(review):
        assert getattr(client, method)(url, {"action": "contact"}).status_code == 404, url
    assert "中差评" not in client.get(reverse("home")).content.decode().split("mainnav")[1][:800]


def test_specialist_of_another_shop_gets_404_for_this_shops_review(login, shop, other_shop):
    client = login(make_user(other_shop, Role.REVIEW_SPECIALIST))
    review = make_review(shop)
    assert client.get(reverse("reviews:list")).status_code == 200
    for method, url in _pages(review):
        assert getattr(client, method)(url, {"action": "contact"}).status_code == 404, url
    review.refresh_from_db()
    assert review.state == ReviewState.NEW


@pytest.mark.parametrize("role", [Role.REVIEW_SPECIALIST, Role.SUPERVISOR, Role.MANAGER])
def test_review_roles_see_the_queue_and_the_review(login, shop, staff, role):
    client = login(staff[role])
    review = make_review(shop, text="尺码偏小")
    assert "尺码偏小" in client.get(reverse("reviews:list")).content.decode()
    assert client.get(reverse("reviews:detail", args=[review.pk])).status_code == 200


def test_queue_filters(login, shop, staff):
    make_review(shop, rating="neutral", text="中评内容")
    make_review(shop, rating="negative", text="差评内容", state=ReviewState.CONTACTED)
    client = login(staff[Role.REVIEW_SPECIALIST])
    body = client.get(reverse("reviews:list"), {"rating": "neutral"}).content.decode()
    assert "中评内容" in body and "差评内容" not in body
    body = client.get(reverse("reviews:list"), {"state": "contacted"}).content.decode()
    assert "差评内容" in body and "中评内容" not in body
    partial = client.get(reverse("reviews:list"), {"state": "new"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "中评内容" in partial.content.decode()


@pytest.mark.parametrize("name", ["reviews:list", "reviews:register"])
def test_list_pages_run_the_same_queries_for_10_and_100_rows(
    login, shop, staff, name, django_assert_num_queries
):
    client = login(staff[Role.SUPERVISOR])
    for _ in range(10):
        make_review(shop, assignee=staff[Role.REVIEW_SPECIALIST])
    client.get(reverse(name))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ten:
        assert client.get(reverse(name)).status_code == 200
    for _ in range(90):
        make_review(shop, assignee=staff[Role.REVIEW_SPECIALIST])
    with django_assert_num_queries(len(ten)):
        client.get(reverse(name))


def test_review_text_is_escaped_on_every_page(login, shop, staff):
    review = make_review(shop, text=XSS, buyer=make_buyer(shop, nick="<b>nick</b>"))
    client = login(staff[Role.REVIEW_SPECIALIST])
    for url in [
        reverse("reviews:list"),
        reverse("reviews:register"),
        reverse("reviews:detail", args=[review.pk]),
    ]:
        body = client.get(url).content.decode()
        assert "<img src=x" not in body and "<b>nick</b>" not in body, url
        assert "&lt;b&gt;nick&lt;/b&gt;" in body


def test_workflow_buttons_move_the_review(login, shop, staff):
    review = make_review(shop)
    client = login(staff[Role.REVIEW_SPECIALIST])
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert 'data-testid="action-contact"' in page and "action-mark_revised" not in page
    response = client.post(
        reverse("reviews:transition", args=[review.pk]), {"action": "contact", "note": "已电话联系"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.state == ReviewState.CONTACTED
    assert review.transitions.get().note == "已电话联系"
    response = client.post(
        reverse("reviews:transition", args=[review.pk]), {"action": "mark_revised"}, follow=True
    )
    assert "不能执行" in response.content.decode()


def test_live_check_shows_findings_without_saving(login, shop, staff):
    review = make_review(shop)
    client = login(staff[Role.REVIEW_SPECIALIST])
    response = client.post(
        reverse("reviews:draft_check", args=[review.pk]),
        {"kind": "buyer_message", "text": "亲，改好评返现10元"},
        HTTP_HX_REQUEST="true",
    )
    assert "返现换好评" in response.content.decode() and "<html" not in response.content.decode()
    assert not ReplyDraft.objects.exists()
    clean = client.post(
        reverse("reviews:draft_check", args=[review.pk]),
        {"kind": "public_reply", "text": "您好，非常抱歉给您添麻烦了，我们会改进包装。"},
    )
    assert "没有发现规范问题" in clean.content.decode()


def test_saving_a_draft_with_findings_warns_and_keeps_them(login, shop, staff):
    review = make_review(shop)
    client = login(staff[Role.REVIEW_SPECIALIST])
    response = client.post(
        reverse("reviews:draft_save", args=[review.pk]),
        {"kind": "buyer_message", "text": "这个问题我不知道"},
        follow=True,
    )
    assert "规范提示" in response.content.decode()
    assert ReplyDraft.objects.get().findings[0]["rule"] == "dont_know"


def test_extortion_evidence_and_pack_through_the_pages(login, shop, staff):
    buyer = make_buyer(shop)
    review = make_review(shop, buyer=buyer)
    conversation = make_conversation(shop, buyer, when=at(2026, 11, 20, 9, 0))
    wanted = make_message(conversation, "不退款就差评", when=at(2026, 11, 20, 9, 1))
    make_message(conversation, "还有别的问题吗", when=at(2026, 11, 20, 9, 2))
    client = login(staff[Role.REVIEW_SPECIALIST])
    client.post(reverse("reviews:mark_extortion", args=[review.pk]), {"note": "要求退款"})
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert f'data-testid="candidate-{wanted.pk}"' in page
    client.post(reverse("reviews:select_evidence", args=[review.pk]), {"message": [wanted.pk]})
    assert list(EvidenceMessage.objects.values_list("text", flat=True)) == ["不退款就差评"]
    response = client.get(reverse("reviews:evidence_pack", args=[review.pk]))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.read("messages.txt").decode().count("\n") == 1


def test_register_exports_a_readable_xlsx(login, shop, staff):
    make_review(shop, text='=HYPERLINK("http://x")', dsr_service=2)
    make_review(shop, rating="neutral", text="一般")
    client = login(staff[Role.MANAGER])
    response = client.get(reverse("reviews:register_xlsx"), {"rating": "negative"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("店铺", "订单编号", "买家", "评价")
    assert len(rows) == 2
    assert rows[1][3] == "差评" and rows[1][4] == '\'=HYPERLINK("http://x")' and rows[1][6] == 2


def test_the_review_page_links_the_buyers_conversation(login, shop, staff):
    review = make_review(shop)
    conversation = make_conversation(shop, review.buyer, when=at(2026, 11, 23, 10))
    page = login(staff[Role.REVIEW_SPECIALIST]).get(reverse("reviews:detail", args=[review.pk]))
    assert f'href="/chats/{conversation.pk}/"' in page.content.decode()
