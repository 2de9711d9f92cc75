import pytest
from django.urls import reverse

from accounts.roles import Role
from scripts_lib.models import ReplyScript, ScriptUsage

from ..factories import make_buyer, make_order, make_shop, make_user
from .factories import make_script

pytestmark = pytest.mark.django_db


def form_data(**fields):
    return {
        "scope": "",
        "category": "greeting",
        "title": "欢迎",
        "code": "hy",
        "body": "{buyer_nick}您好",
        "position": 0,
        "is_active": "on",
        **fields,
    }


def test_library_lists_categories_in_conversation_order(login, staff, team, shop):
    make_script(team, None, code="cf", category="payment_reminder", title="催付")
    make_script(team, shop, code="hy", category="greeting", title="欢迎")
    response = login(staff[Role.PRE_SALE]).get(reverse("scripts_lib:list"))
    assert response.status_code == 200
    titles = [s.title for s in response.context["page"]]
    assert titles == ["欢迎", "催付"]
    labels = [label for _code, label, _n in response.context["categories"]]
    assert labels[:3] == ["欢迎语", "对话语", "议价语"] and labels[-3:] == [
        "催付",
        "回访",
        "签收回访",
    ]
    assert response.context["can_edit"] is False
    assert reverse("scripts_lib:create").encode() not in response.content


def test_library_search_by_pinyin_initials_as_htmx_fragment(login, staff, team, shop):
    make_script(team, None, code="cf", category="payment_reminder", title="催付提醒")
    make_script(team, None, code="hy", title="欢迎")
    client = login(staff[Role.PRE_SALE])
    response = client.get(reverse("scripts_lib:list"), {"q": "cftx"}, HTTP_HX_REQUEST="true")
    assert [s.title for s in response.context["page"]] == ["催付提醒"]
    assert b"<html" not in response.content and b'id="lib-results"' in response.content


def test_list_page_query_count_does_not_grow_with_page_size(
    login, staff, team, shop, django_assert_max_num_queries
):
    client = login(staff[Role.SUPERVISOR])
    for i in range(3):
        make_script(team, shop, code=f"a{i}")
    with django_assert_max_num_queries(10) as small:
        client.get(reverse("scripts_lib:list"))
    for i in range(40):
        make_script(team, None if i % 2 else shop, code=f"b{i}", category="logistics")
    with django_assert_max_num_queries(10) as large:
        response = client.get(reverse("scripts_lib:list"))
    assert len(response.context["page"]) == 43
    assert len(large.captured_queries) == len(small.captured_queries)


def test_supervisor_creates_a_team_wide_script(login, staff, team, shop):
    client = login(staff[Role.SUPERVISOR])
    response = client.post(reverse("scripts_lib:create"), form_data(scope=f"team:{team.pk}"))
    assert response.status_code == 302
    script = ReplyScript.objects.get()
    assert (
        script.shop is None and script.team == team and script.created_by == staff[Role.SUPERVISOR]
    )


def test_unknown_placeholder_is_shown_as_a_form_error(login, staff, shop):
    client = login(staff[Role.SUPERVISOR])
    response = client.post(
        reverse("scripts_lib:create"), form_data(scope=f"shop:{shop.code}", body="{nick}您好")
    )
    assert response.status_code == 200
    assert "未知的占位符：{nick}" in response.content.decode()
    assert not ReplyScript.objects.exists()


def test_pre_sale_agent_cannot_create_or_edit(login, staff, team, shop):
    script = make_script(team, shop)
    client = login(staff[Role.PRE_SALE])
    assert client.get(reverse("scripts_lib:create")).status_code == 403
    url = reverse("scripts_lib:edit", args=[script.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(body="改了")).status_code == 403
    assert client.get(reverse("scripts_lib:import")).status_code == 403
    assert client.get(reverse("scripts_lib:usage")).status_code == 403
    script.refresh_from_db()
    assert script.version == 1


def test_other_shops_scripts_are_404(login, staff, team, shop, other_shop):
    sister = make_shop(team, code="sister")
    for foreign in (
        make_script(other_shop.team, other_shop, code="x"),
        make_script(team, sister, code="y"),
    ):
        client = login(staff[Role.MANAGER])
        assert client.get(reverse("scripts_lib:edit", args=[foreign.pk])).status_code == 404
        assert client.get(reverse("scripts_lib:versions", args=[foreign.pk])).status_code == 404
        assert client.post(reverse("scripts_lib:use", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("scripts_lib:list"), {"shop": other_shop.code}).status_code == 404
    assert client.get(reverse("scripts_lib:pick"), {"shop": other_shop.code}).status_code == 404


def test_edit_keeps_versions_and_shows_history(login, staff, team, shop):
    script = make_script(team, shop, body="旧的内容")
    client = login(staff[Role.SUPERVISOR])
    response = client.post(
        reverse("scripts_lib:edit", args=[script.pk]), form_data(body="新的内容")
    )
    assert response.status_code == 302
    page = client.get(reverse("scripts_lib:versions", args=[script.pk]))
    html = page.content.decode()
    assert html.index("新的内容") < html.index("旧的内容")
    assert staff[Role.SUPERVISOR].label in html and "v2" in html


def test_pick_renders_scripts_for_the_conversation(login, staff, team, shop):
    make_script(
        team,
        None,
        code="fh",
        category="logistics",
        title="发货",
        body="{buyer_nick}，{courier}单号{tracking_number}",
    )
    make_script(team, None, code="hy", title="欢迎", body="您好")
    buyer = make_buyer(shop, nick="小鹿")
    make_order(shop, buyer, order_id="3512345678901234567", courier="圆通", tracking_number="YT123")
    client = login(staff[Role.PRE_SALE])
    response = client.get(
        reverse("scripts_lib:pick"), {"shop": shop.code, "q": "/fh", "order": "3512345678901234567"}
    )
    assert response.status_code == 200
    assert [s.code for s, _text in response.context["items"]] == ["fh"]
    assert "小鹿，圆通单号YT123" in response.content.decode()
    plain = client.get(reverse("scripts_lib:pick"), {"shop": shop.code, "q": "fh"})
    assert "亲，快递单号" in plain.content.decode()


def test_check_endpoint_returns_findings_fragment(login, staff):
    client = login(staff[Role.PRE_SALE])
    response = client.post(reverse("scripts_lib:check"), {"text": "你好，不能便宜"})
    html = response.content.decode()
    assert 'data-rule="informal_you"' in html and 'data-rule="negative_word"' in html
    clean = client.post(reverse("scripts_lib:check"), {"text": "您好"})
    assert "未发现礼仪问题" in clean.content.decode()
    assert client.get(reverse("scripts_lib:check")).status_code == 405


def test_use_endpoint_counts_the_agent(login, staff, team, shop):
    script = make_script(team, None)
    client = login(staff[Role.PRE_SALE])
    assert (
        client.post(
            reverse("scripts_lib:use", args=[script.pk]), HTTP_HX_REQUEST="true"
        ).status_code
        == 204
    )
    assert ScriptUsage.objects.get().agent == staff[Role.PRE_SALE]


def test_usage_page_shows_counts_per_agent(login, staff, team, shop, now):
    from scripts_lib.services import script_record_use

    script = make_script(team, shop, title="欢迎")
    agent = make_user(shop, Role.PRE_SALE, display_name="小雨")
    script_record_use(actor=agent, script=script, now=now)
    response = login(staff[Role.SUPERVISOR]).get(reverse("scripts_lib:usage"))
    assert [row["uses"] for row in response.context["agents"]] == [1]
    assert "小雨" in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    assert client.get(reverse("scripts_lib:list")).status_code == 302


def test_edit_that_fails_the_checker_is_refused_with_its_findings(login, staff, team, shop):
    script = make_script(team, shop)
    client = login(staff[Role.SUPERVISOR])
    url = reverse("scripts_lib:edit", args=[script.pk])
    response = client.post(url, form_data(body="在"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "只回一个词" in page and "one_word_reply" not in page and "仍要保存的理由" in page
    script.refresh_from_db()
    assert (script.body, script.version) == ("您好，{buyer_nick}", 1)


def test_override_with_a_reason_saves_and_is_audited(login, staff, team, shop):
    from audit.models import AuditEvent

    script = make_script(team, shop)
    client = login(staff[Role.SUPERVISOR])
    url = reverse("scripts_lib:edit", args=[script.pk])
    response = client.post(url, form_data(body="在", override_reason="老客户专用暗号"))
    assert response.status_code == 302
    script.refresh_from_db()
    assert (script.body, script.version) == ("在", 2)
    event = AuditEvent.objects.get(verb="script.etiquette_overridden")
    assert event.changes == {
        "rules": [None, ["one_word_reply"]],
        "reason": [None, "老客户专用暗号"],
    }


def test_new_script_that_fails_the_checker_is_not_created(login, staff, team, shop):
    client = login(staff[Role.SUPERVISOR])
    data = form_data(scope=f"shop:{shop.code}", code="bad", body="加我微信聊")
    response = client.post(reverse("scripts_lib:create"), data)
    assert response.status_code == 200 and "引导站外联系" in response.content.decode()
    assert not ReplyScript.objects.filter(code="bad").exists()
