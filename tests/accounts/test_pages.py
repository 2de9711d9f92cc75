import re
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_foreign_shop_in_url_is_404_like_an_unknown_one(login, staff, other_shop):
    client = login(staff[Role.MANAGER])
    foreign = client.get(reverse("accounts:shop_settings", args=[other_shop.code]))
    unknown = client.get(reverse("accounts:shop_settings", args=["no-such-shop"]))
    assert foreign.status_code == unknown.status_code == 404


def test_agent_sees_settings_read_only_and_cannot_post(login, staff, shop):
    client = login(staff[Role.PRE_SALE])
    url = reverse("accounts:shop_settings", args=[shop.code])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "改名"})
    assert response.status_code == 403
    shop.refresh_from_db()
    assert shop.name == "A店"


def test_manager_changes_settings_and_the_change_is_audited(login, staff, shop):
    client = login(staff[Role.MANAGER])
    url = reverse("accounts:shop_settings", args=[shop.code])
    form = client.get(url).context["form"]
    data = {name: field.value() for name, field in ((n, form[n]) for n in form.fields)}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["greeting_delay_seconds"] = 5
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    shop.refresh_from_db()
    assert shop.greeting_delay_seconds == 5
    event = AuditEvent.objects.get(verb="shop.settings_changed")
    assert event.changes == {"greeting_delay_seconds": [8, 5]}
    assert event.actor == staff[Role.MANAGER]


def test_audit_page_is_for_supervisors_and_managers_only(login, staff):
    assert login(staff[Role.AFTER_SALE]).get(reverse("audit:list")).status_code == 403
    assert login(staff[Role.SUPERVISOR]).get(reverse("audit:list")).status_code == 200


def test_audit_page_hides_other_shops_events(login, staff, shop, other_shop, now):
    from audit.services import audit

    audit(None, "shop.touched", shop, now=now)
    audit(None, "shop.touched", other_shop, now=now)
    response = login(staff[Role.SUPERVISOR]).get(reverse("audit:list"), {"verb": "shop."})
    assert [e.shop_id for e in response.context["page"]] == [shop.pk]


def test_audit_list_query_count_does_not_grow_with_rows(
    login, staff, shop, now, django_assert_max_num_queries, django_assert_num_queries
):
    from audit.services import audit

    client = login(staff[Role.SUPERVISOR])
    audit(staff[Role.MANAGER], "shop.touched", shop, now=now)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("audit:list"))
    for _ in range(40):
        audit(staff[Role.MANAGER], "shop.touched", shop, now=now)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("audit:list"))


def test_navigation_shows_each_role_only_its_queues(login, staff):
    body = login(staff[Role.PRE_SALE]).get(reverse("home")).content.decode()
    assert "审计日志" not in body
    body = login(staff[Role.SUPERVISOR]).get(reverse("home")).content.decode()
    assert "审计日志" in body


def test_shop_settings_show_the_buyer_chat_link_with_a_qr_code(login, staff, shop):
    page = login(staff[Role.SUPERVISOR]).get(reverse("accounts:shop_settings", args=[shop.code]))
    html = page.content.decode()
    assert 'value="http://testserver/c/shop-a/"' in html
    assert 'data-copy="#buyer-link"' in html
    assert 'class="qr"><title>A店</title><path' in html


def test_the_admin_link_shows_only_to_staff_accounts(login, staff):
    assert "/admin/" not in login(staff[Role.SUPERVISOR]).get(reverse("home")).content.decode()
    staff[Role.MANAGER].is_staff = True
    staff[Role.MANAGER].save(update_fields=["is_staff"])
    assert "/admin/" in login(staff[Role.MANAGER]).get(reverse("home")).content.decode()


def test_pages_name_themselves_in_the_title(login, staff, shop):
    client = login(staff[Role.MANAGER])
    for url, title in [
        (reverse("audit:list"), "审计日志 · 客服工作台"),
        (reverse("accounts:shop_staff", args=[shop.code]), "A店 · 员工管理 · 客服工作台"),
        (reverse("accounts:shop_settings", args=[shop.code]), "A店 · 店铺设置 · 客服工作台"),
    ]:
        assert f"<title>{title}</title>" in client.get(url).content.decode()
    denied = login(staff[Role.PRE_SALE]).get(reverse("audit:list"))
    assert "<title>没有权限 · 客服工作台</title>" in denied.content.decode()


TITLE_BLOCK = re.compile(r"\{% block title %\}(.*?)\{% endblock %\}", re.S)


def test_the_product_name_ends_every_staff_title_once_and_no_buyer_title():
    """base.html appends "· 客服工作台"; a page names only itself, and the buyer's pages
    (web chat, survey) carry the shop's name, not the name of our staff tool."""
    templates = Path(__file__).resolve().parents[2] / "templates"
    repeating = [
        path.name
        for path in templates.rglob("*.html")
        for block in TITLE_BLOCK.findall(path.read_text(encoding="utf-8"))
        if "客服工作台" in block or "block.super" in block
    ]
    assert repeating == []


def test_a_page_title_reads_page_then_product_and_the_buyer_page_has_no_product_name(
    login, staff, shop, client
):
    from tests.chats.factories import make_channel

    page = login(staff[Role.AFTER_SALE]).get(reverse("tickets:queue")).content.decode()
    assert "<title>售后工单 · 客服工作台</title>" in page
    make_channel(shop)
    buyer_page = client.get(f"/c/{shop.code}/").content.decode()
    assert f"<title>{shop.name} · 在线咨询</title>" in buyer_page
