"""The problem queue page: filters, counts, the order card, actions, query budget, refusals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Membership
from accounts.roles import Role
from orders.models import (
    CourierRequest,
    CourierRequestStatus,
    Memo,
    Problem,
    ProblemCategory,
    ProblemState,
)
from teamwork.models import Tag, TagLink
from tests.factories import make_order, make_shop, make_user

from .factories import make_item, make_problem, make_sku

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_queue_lists_active_problems_with_counts_per_category(login, shop, staff, now):
    make_problem(shop, now, category=ProblemCategory.COD_CONFIRM)
    make_problem(shop, now, category=ProblemCategory.COD_CONFIRM)
    make_problem(shop, now, category=ProblemCategory.OUT_OF_STOCK)
    make_problem(shop, now, state=ProblemState.RESOLVED, closed_at=now)
    response = login(staff[Role.IN_SALE]).get("/orders/problems/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("data-problem-row=") == 3
    links = {link["code"]: link["count"] for link in response.context["category_links"]}
    assert links["cod_confirm"] == 2 and links["out_of_stock"] == 1
    assert response.context["total"] == 3
    assert 'class="panes problem-panes"' in body and "js/problems.js" in body
    assert "<script>" not in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=cod_confirm", {"cod"}),
        ("state=contacting", {"mine"}),
        ("assignee=me", {"mine"}),
        ("assignee=none", {"cod", "stock"}),
        ("state=all", {"cod", "stock", "mine", "done"}),
    ],
)
def test_queue_filters(login, shop, staff, now, query, expected):
    agent = staff[Role.IN_SALE]
    named = {
        "cod": make_problem(shop, now, category=ProblemCategory.COD_CONFIRM),
        "stock": make_problem(shop, now, category=ProblemCategory.OUT_OF_STOCK),
        "mine": make_problem(shop, now, state=ProblemState.CONTACTING, assignee=agent),
        "done": make_problem(shop, now, state=ProblemState.RESOLVED, closed_at=now),
    }
    response = login(agent).get(f"/orders/problems/?{query}")
    shown = {p.pk for p in response.context["page"]}
    assert shown == {named[name].pk for name in expected}


def test_queue_filter_by_shop_keeps_other_shops_out(login, team, shop, staff, now):
    from accounts.models import Membership
    from tests.factories import make_shop

    second = make_shop(team, code="shop-c")
    Membership.objects.create(user=staff[Role.IN_SALE], shop=second, role=Role.IN_SALE)
    make_problem(shop, now)
    theirs = make_problem(second, now)
    response = login(staff[Role.IN_SALE]).get(f"/orders/problems/?shop={second.pk}")
    assert [p.pk for p in response.context["page"]] == [theirs.pk]


def test_selected_problem_shows_the_order_card(login, shop, staff, now):
    sku = make_sku(shop, title="双面羊绒大衣")
    problem = make_problem(shop, now, category=ProblemCategory.ADDRESS_CHANGE)
    make_item(problem.order, sku, quantity=2)
    Memo.objects.create(order=problem.order, reason="先别发货", work_number="2001", created_at=now)
    response = login(staff[Role.IN_SALE]).get(f"/orders/problems/{problem.pk}/", **HTMX)
    body = response.content.decode()
    assert "双面羊绒大衣" in body and "先别发货" in body and "2001" in body
    assert problem.order.buyer.nick in body and "核对新地址" in body
    assert 'name="province"' in body


def test_problem_url_without_htmx_opens_the_full_queue(login, shop, staff, now):
    problem = make_problem(shop, now)
    response = login(staff[Role.IN_SALE]).get(f"/orders/problems/{problem.pk}/")
    assert response.status_code == 302 and f"selected={problem.pk}" in response.url


def _fill(shop, now, count):
    for _ in range(count):
        order = make_order(shop)
        make_problem(shop, now, order=order, assignee=None)


@pytest.mark.parametrize("htmx", [False, True])
def test_queue_query_count_does_not_grow_with_rows(
    login, shop, staff, now, django_assert_num_queries, htmx
):
    client = login(staff[Role.IN_SALE])
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "problem-list"} if htmx else {}
    _fill(shop, now, 10)
    selected = Problem.objects.first().pk
    url = f"/orders/problems/?per_page=100&selected={selected}"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url, **headers).status_code == 200
    _fill(shop, now, 90)
    with django_assert_num_queries(len(small)):
        response = client.get(url, **headers)
    assert len(response.context["page"]) == 100


def test_pre_sale_agents_cannot_open_the_queue(login, shop, staff, now):
    problem = make_problem(shop, now)
    client = login(staff[Role.PRE_SALE])
    assert client.get("/orders/problems/").status_code == 403
    assert client.post(f"/orders/problems/{problem.pk}/claim/").status_code == 404
    problem.refresh_from_db()
    assert problem.assignee is None


def test_other_shops_problems_are_404_in_pages(login, shop, other_shop, now):
    stranger = make_user(other_shop, Role.MANAGER)
    problem = make_problem(shop, now)
    client = login(stranger)
    assert client.get(f"/orders/problems/{problem.pk}/", **HTMX).status_code == 404
    assert client.get(f"/orders/problems/?selected={problem.pk}").status_code == 404
    assert client.post(f"/orders/problems/{problem.pk}/claim/").status_code == 404
    assert client.get(f"/orders/{problem.order.pk}/").status_code == 404
    assert client.get(f"/orders/buyers/{problem.order.buyer.pk}/").status_code == 404
    assert client.get(f"/orders/problems/new/?order={problem.order.pk}").status_code == 404
    problem.refresh_from_db()
    assert problem.assignee is None


def test_claim_then_resolve_through_the_pane(login, shop, staff, now):
    agent = staff[Role.IN_SALE]
    problem = make_problem(shop, now)
    client = login(agent)
    response = client.post(f"/orders/problems/{problem.pk}/claim/", **HTMX)
    assert response.status_code == 200 and response["HX-Trigger"] == "problems-changed"
    assert agent.label in response.content.decode()
    response = client.post(
        f"/orders/problems/{problem.pk}/transition/",
        {"action": "resolve", "reason": "买家确认原地址"},
        **HTMX,
    )
    problem.refresh_from_db()
    assert problem.state == ProblemState.RESOLVED
    assert "已解决" in response.content.decode()


def test_a_refused_action_shows_the_message_in_the_pane(login, shop, staff, now):
    problem = make_problem(shop, now, assignee=make_user(shop, Role.IN_SALE, display_name="阿强"))
    response = login(staff[Role.IN_SALE]).post(
        f"/orders/problems/{problem.pk}/transition/", {"action": "contact"}, **HTMX
    )
    assert response.status_code == 200 and "阿强" in response.content.decode()
    assert "HX-Trigger" not in response


def test_claim_next_button_redirects_to_the_claimed_problem(login, shop, staff, now):
    problem = make_problem(shop, now)
    response = login(staff[Role.IN_SALE]).post("/orders/problems/claim-next/")
    assert response.status_code == 302 and f"selected={problem.pk}" in response.url
    problem.refresh_from_db()
    assert problem.assignee == staff[Role.IN_SALE]


def test_workflow_forms_post_through_the_pane(login, shop, staff, now):
    problem = make_problem(shop, now, category=ProblemCategory.COD_CONFIRM)
    login(staff[Role.IN_SALE]).post(
        f"/orders/problems/{problem.pk}/cod/", {"consent": "yes", "note": ""}, **HTMX
    )
    problem.refresh_from_db()
    assert problem.state == ProblemState.RESOLVED


def test_open_a_problem_by_hand_from_the_order(login, shop, staff, now):
    order = make_order(shop)
    client = login(staff[Role.PRE_SALE])
    page = client.get(f"/orders/problems/new/?order={order.pk}&category=address_change")
    assert page.status_code == 200 and order.order_id in page.content.decode()
    assert not Problem.objects.exists()
    response = client.post(
        "/orders/problems/new/",
        {"order": order.pk, "category": "address_change", "note": "买家要改到公司地址"},
    )
    problem = Problem.objects.get()
    assert problem.category == "address_change" and problem.opened_by == staff[Role.PRE_SALE]
    assert response.status_code == 302 and response.url == f"/orders/{order.pk}/"


def test_supervisor_hands_a_problem_to_a_colleague_from_the_pane(login, shop, staff, now):
    colleague = make_user(shop, Role.IN_SALE, display_name="阿强")
    problem = make_problem(shop, now)
    client = login(staff[Role.SUPERVISOR])
    assert "阿强" in client.get(f"/orders/problems/{problem.pk}/", **HTMX).content.decode()
    client.post(f"/orders/problems/{problem.pk}/assign/", {"assignee": colleague.pk}, **HTMX)
    problem.refresh_from_db()
    assert problem.assignee == colleague


def test_agents_cannot_hand_problems_to_others(login, shop, staff, now):
    colleague = make_user(shop, Role.IN_SALE)
    problem = make_problem(shop, now, assignee=staff[Role.IN_SALE])
    client = login(staff[Role.IN_SALE])
    assert (
        'name="assignee"'
        not in client.get(f"/orders/problems/{problem.pk}/", **HTMX).content.decode()
    )
    response = client.post(
        f"/orders/problems/{problem.pk}/assign/", {"assignee": colleague.pk}, **HTMX
    )
    assert response.status_code == 403
    problem.refresh_from_db()
    assert problem.assignee == staff[Role.IN_SALE]


def test_overdue_filter_is_where_the_workbench_figure_leads(login, shop, staff, now):
    agent = staff[Role.IN_SALE]
    late = make_problem(shop, now, due_at=timezone.now() - timedelta(minutes=5))
    make_problem(
        shop, now, category=ProblemCategory.COD_CONFIRM, due_at=timezone.now() + timedelta(hours=1)
    )
    client = login(agent)
    response = client.get("/orders/problems/?overdue=on")
    assert [p.pk for p in response.context["page"]] == [late.pk]
    assert 'name="overdue"' in response.content.decode()
    home = client.get("/").content.decode()
    assert 'href="/orders/problems/?overdue=on"' in home


def test_an_unknown_pane_button_is_404(login, shop, staff, now):
    problem = make_problem(shop, now)
    response = login(staff[Role.IN_SALE]).post(f"/orders/problems/{problem.pk}/explode/", **HTMX)
    assert response.status_code == 404


def test_the_courier_button_settles_only_a_request_of_the_problems_order(login, shop, staff, now):
    problem = make_problem(shop, now, state=ProblemState.CONTACTING)
    other = make_problem(shop, now, state=ProblemState.CONTACTING)
    foreign = CourierRequest.objects.create(
        shop=shop, order=other.order, problem=other, kind="redirect", created_at=now
    )
    client = login(staff[Role.IN_SALE])
    url = f"/orders/problems/{problem.pk}/courier/"
    assert client.post(url, {"request": foreign.pk, "succeeded": "yes"}, **HTMX).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == CourierRequestStatus.REQUESTED
    own = CourierRequest.objects.create(
        shop=shop, order=problem.order, problem=problem, kind="redirect", created_at=now
    )
    response = client.post(url, {"request": own.pk, "succeeded": "yes"}, **HTMX)
    assert response.status_code == 200
    own.refresh_from_db()
    assert own.status == CourierRequestStatus.DONE


def test_a_problem_goes_only_to_a_colleague_who_may_work_it(login, shop, other_shop, staff, now):
    stranger = make_user(other_shop, Role.IN_SALE, display_name="外店阿强")
    problem = make_problem(shop, now)
    response = login(staff[Role.SUPERVISOR]).post(
        f"/orders/problems/{problem.pk}/assign/", {"assignee": stranger.pk}, **HTMX
    )
    assert response.status_code == 200 and "请选择本店可处理问题订单的同事" in (
        response.content.decode()
    )
    problem.refresh_from_db()
    assert problem.assignee is None


FILTERED = "/orders/problems/?category=address_change&state=all&assignee=none&per_page=20"


def test_claim_next_keeps_the_queue_filters_it_was_pressed_under(login, shop, staff, now):
    problem = make_problem(shop, now)
    client = login(staff[Role.IN_SALE])
    response = client.post(
        "/orders/problems/claim-next/",
        {"category": "address_change"},
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{FILTERED}&selected=9"},
    )
    assert response["HX-Redirect"] == f"{FILTERED}&selected={problem.pk}"
    plain = client.post("/orders/problems/claim-next/", headers={"Referer": FILTERED})
    assert plain.url == FILTERED


def test_a_plain_post_returns_to_the_filtered_queue(login, shop, staff, now):
    problem = make_problem(shop, now)
    response = login(staff[Role.IN_SALE]).post(
        f"/orders/problems/{problem.pk}/claim/", headers={"Referer": f"http://testserver{FILTERED}"}
    )
    assert response.status_code == 302 and response.url == f"{FILTERED}&selected={problem.pk}"


def test_an_address_from_another_page_is_not_taken_as_filters(login, shop, staff, now):
    problem = make_problem(shop, now)
    response = login(staff[Role.IN_SALE]).post(
        f"/orders/problems/{problem.pk}/claim/", headers={"Referer": "/orders/?state=all"}
    )
    assert response.url == f"/orders/problems/?selected={problem.pk}"


def _claim_next_under(client, query: str):
    return client.post("/orders/problems/claim-next/", {"filters": query})


def test_claim_next_takes_the_first_problem_of_the_filtered_shop(login, shop, staff, now):
    second_shop = make_shop(shop.team, code="shop-a2", name="A二店")
    agent = staff[Role.IN_SALE]
    Membership.objects.create(user=agent, shop=second_shop, role=Role.IN_SALE)
    older = make_problem(shop, now, due_at=now - timedelta(hours=5))
    wanted = make_problem(second_shop, now, due_at=now + timedelta(hours=1))
    response = _claim_next_under(login(agent), f"shop={second_shop.pk}")
    assert response.status_code == 302 and f"selected={wanted.pk}" in response.url
    older.refresh_from_db()
    wanted.refresh_from_db()
    assert older.assignee is None and wanted.assignee == agent


def test_claim_next_keeps_to_the_category_state_and_tag_filters(login, shop, staff, now):
    agent = staff[Role.IN_SALE]
    client = login(agent)
    make_problem(shop, now, due_at=now - timedelta(hours=9))
    cod = make_problem(
        shop, now, category=ProblemCategory.COD_CONFIRM, due_at=now + timedelta(hours=1)
    )
    waiting = make_problem(
        shop, now, state=ProblemState.WAITING_BUYER, due_at=now + timedelta(hours=2)
    )
    tagged = make_problem(shop, now, due_at=now + timedelta(days=5))
    tag = Tag.objects.create(team=shop.team, name="易纠纷", created_at=now)
    TagLink.objects.create(
        tag=tag, shop=shop, target_type="problem", target_id=tagged.pk, created_at=now
    )
    _claim_next_under(client, "category=cod_confirm")
    _claim_next_under(client, "state=waiting_buyer")
    _claim_next_under(client, f"tag={tag.pk}&assignee=me")
    for problem in (cod, waiting, tagged):
        problem.refresh_from_db()
        assert problem.assignee == agent
    assert Problem.objects.filter(assignee__isnull=True).count() == 1


@pytest.mark.parametrize("query", ["category=cod_confirm", "overdue=on", "state=resolved"])
def test_claim_next_under_filters_that_show_nothing_claims_nothing(login, shop, staff, now, query):
    problem = make_problem(shop, now, due_at=timezone.now() + timedelta(hours=1))
    response = _claim_next_under(login(staff[Role.IN_SALE]), query)
    problem.refresh_from_db()
    assert problem.assignee is None and "selected=" not in response.url
