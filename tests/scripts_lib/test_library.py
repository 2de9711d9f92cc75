import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from audit.models import AuditEvent
from scripts_lib.errors import ScriptError
from scripts_lib.models import ReplyScriptVersion, ScriptCategory, ScriptUsage
from scripts_lib.rendering import render_script, script_context
from scripts_lib.selectors import script_for, scripts_visible_to, search_scripts
from scripts_lib.services import ScriptData, script_create, script_record_use, script_update

from ..factories import make_buyer, make_order, make_shop
from .factories import make_script

pytestmark = pytest.mark.django_db


def data(**fields):
    base = {"category": "greeting", "title": "欢迎语", "code": "hy", "body": "您好，{buyer_nick}"}
    return ScriptData(**{**base, **fields})


def test_categories_run_in_conversation_order_with_reminders_last():
    assert ScriptCategory.values == [
        "greeting",
        "consultation",
        "bargaining",
        "payment",
        "logistics",
        "after_sale",
        "farewell",
        "review_thanks",
        "payment_reminder",
        "delivery_followup",
        "receipt_followup",
    ]


def test_unknown_placeholder_is_refused_on_save_and_nothing_is_written(staff, team, shop, now):
    with pytest.raises(ScriptError) as error:
        script_create(
            actor=staff[Role.SUPERVISOR],
            team=team,
            shop=shop,
            data=data(body="您好{buyer_name}，订单{order_id}"),
            now=now,
        )
    assert "{buyer_name}" in str(error.value)
    assert "{buyer_nick}" in str(error.value)  # says what may be used instead
    assert not scripts_visible_to(staff[Role.SUPERVISOR]).exists()


def test_full_width_braces_are_refused(staff, team, shop, now):
    with pytest.raises(ScriptError, match="半角"):
        script_create(
            actor=staff[Role.SUPERVISOR],
            team=team,
            shop=shop,
            data=data(body="您好｛buyer_nick｝"),
            now=now,
        )


def test_each_edit_is_kept_as_a_version_with_author_and_time(staff, team, shop, now):
    editor = staff[Role.SUPERVISOR]
    script = script_create(actor=editor, team=team, shop=shop, data=data(), now=now)
    later = now.replace(hour=11)
    script = script_update(actor=editor, script=script, data=data(body="亲，您好～"), now=later)
    script = script_update(actor=editor, script=script, data=data(body="亲，您好～"), now=later)
    assert script.version == 2
    versions = list(ReplyScriptVersion.objects.filter(script=script))
    assert [(v.number, v.body, v.author, v.created_at) for v in versions] == [
        (2, "亲，您好～", editor, later),
        (1, "您好，{buyer_nick}", editor, now),
    ]
    assert AuditEvent.objects.filter(verb="script.updated").get().changes == {
        "body": ["您好，{buyer_nick}", "亲，您好～"]
    }


def test_pre_sale_agent_cannot_create_or_edit(staff, team, shop, now):
    with pytest.raises(PermissionDenied):
        script_create(actor=staff[Role.PRE_SALE], team=team, shop=shop, data=data(), now=now)
    script = make_script(team, shop)
    with pytest.raises(PermissionDenied):
        script_update(actor=staff[Role.AFTER_SALE], script=script, data=data(body="改"), now=now)


def test_duplicate_shortcut_code_in_the_same_scope_is_refused(team, shop):
    make_script(team, shop, code="hy")
    make_script(team, None, code="hy")  # team-wide may share the code: the shop's own wins
    with pytest.raises(ScriptError, match="/hy"):
        make_script(team, shop, code="HY")


def test_team_wide_script_serves_a_shop_without_its_own(team, shop):
    team_wide = make_script(team, None, code="cf", category="payment_reminder", body="催付 A")
    new_shop = make_shop(team, code="shop-new")
    assert script_for(shop=new_shop, category="payment_reminder") == team_wide
    own = make_script(team, shop, code="cf", category="payment_reminder", body="催付 B")
    assert script_for(shop=shop, category="payment_reminder") == own
    assert script_for(shop=shop, category="payment_reminder", code="cf") == own
    assert script_for(shop=new_shop, category="payment_reminder", code="cf") == team_wide
    assert script_for(shop=shop, category="delivery_followup") is None


def test_inactive_scripts_are_not_used_by_jobs(team, shop):
    make_script(team, None, code="cf", category="payment_reminder", is_active=False)
    assert script_for(shop=shop, category="payment_reminder") is None


def test_other_teams_and_shops_scripts_stay_invisible(staff, team, shop, other_shop):
    sister = make_shop(team, code="shop-sister")
    mine = make_script(team, shop, code="a")
    team_wide = make_script(team, None, code="b")
    make_script(team, sister, code="c")  # staff of shop A are not staff of the sister shop
    make_script(other_shop.team, other_shop, code="d")
    make_script(other_shop.team, None, code="e")
    agent = staff[Role.PRE_SALE]
    assert set(scripts_visible_to(agent)) == {mine, team_wide}
    assert set(scripts_visible_to(agent, shop=other_shop)) == set()


def test_shop_list_hides_team_wide_script_overridden_by_own(staff, team, shop):
    make_script(team, None, code="hy", body="团队版")
    own = make_script(team, shop, code="hy", body="本店版")
    assert list(scripts_visible_to(staff[Role.PRE_SALE], shop=shop)) == [own]


def test_search_by_code_text_and_pinyin_initials(staff, team, shop):
    reminder = make_script(
        team,
        None,
        code="cf1",
        category="payment_reminder",
        title="催付提醒",
        body="亲，订单还没付款哦",
    )
    greeting = make_script(team, None, code="hy1", title="欢迎语", body="您好，欢迎光临{shop_name}")
    agent = staff[Role.PRE_SALE]
    assert list(search_scripts(user=agent, shop=shop, query="cftx")) == [reminder]
    assert list(search_scripts(user=agent, shop=shop, query="CF")) == [reminder]
    assert list(search_scripts(user=agent, shop=shop, query="/hy")) == [greeting]
    assert list(search_scripts(user=agent, shop=shop, query="欢迎光临")) == [greeting]
    assert list(search_scripts(user=agent, shop=shop, query="付款")) == [reminder]


def test_rendering_fills_placeholders_and_never_fails(shop, staff):
    buyer = make_buyer(shop, nick="小鹿")
    order = make_order(shop, buyer, order_id="3512345678901234567", courier="中通")
    context = script_context(shop=shop, agent=staff[Role.PRE_SALE], buyer=buyer, order=order)
    body = "{buyer_nick}您好，工号{work_number}为您服务，订单{order_id}共{order_amount}元，{cutoff_time}前由{courier}发出"
    assert render_script(body, context=context) == (
        f"小鹿您好，工号{staff[Role.PRE_SALE].work_number}为您服务，"
        "订单3512345678901234567共199.00元，17:00前由中通发出"
    )
    assert render_script(body, context={}) == "亲您好，工号为您服务，订单共元，17:00前由快递发出"
    assert render_script("{nonsense}好", context={"nonsense": 1}) == "好"


def test_record_use_counts_per_script_and_per_agent(staff, team, shop, now):
    script = make_script(team, shop)
    agent, other = staff[Role.PRE_SALE], staff[Role.IN_SALE]
    script_record_use(actor=agent, script=script, now=now)
    script_record_use(actor=agent, script=script, now=now)
    script_record_use(actor=other, script=script, now=now)
    script.refresh_from_db()
    assert script.use_count == 3
    assert dict(ScriptUsage.objects.values_list("agent__username", "count")) == {
        agent.username: 2,
        other.username: 1,
    }


def test_someone_outside_the_team_cannot_count_a_use(team, shop, other_shop, now):
    from ..factories import make_user

    script = make_script(team, None)
    outsider = make_user(other_shop, Role.MANAGER)
    with pytest.raises(PermissionDenied):
        script_record_use(actor=outsider, script=script, now=now)
    assert not ScriptUsage.objects.exists()
