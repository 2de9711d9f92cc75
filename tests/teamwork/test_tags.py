import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from audit.models import AuditEvent
from teamwork.errors import TagRefused
from teamwork.models import Tag, TagLink
from teamwork.tags import tag_add, tag_create, tag_remove, tag_update
from tests.chats.factories import make_conversation
from tests.factories import make_buyer, make_order
from tests.orders.factories import make_problem
from tests.tickets.factories import make_ticket
from tickets.models import TicketType

pytestmark = pytest.mark.django_db


@pytest.fixture
def vip(shop, staff, now):
    return tag_create(
        actor=staff[Role.SUPERVISOR],
        shop=shop,
        name="VIP",
        colour="#7a3cff",
        description="年消费过万",
        now=now,
    )


def test_supervisor_manages_the_team_list_and_agents_cannot(shop, staff, vip, now):
    assert vip.team_id == shop.team_id
    with pytest.raises(TagRefused):
        tag_create(actor=staff[Role.SUPERVISOR], shop=shop, name="VIP", colour="#d92d20", now=now)
    with pytest.raises(PermissionDenied):
        tag_create(actor=staff[Role.AFTER_SALE], shop=shop, name="大码", colour="#d92d20", now=now)
    tag_update(
        actor=staff[Role.MANAGER],
        shop=shop,
        tag=vip,
        name="VIP",
        colour="#d92d20",
        description="老客户",
        now=now,
    )
    vip.refresh_from_db()
    assert (vip.colour, vip.description) == ("#d92d20", "老客户")
    assert AuditEvent.objects.filter(verb="tag.updated").exists()


def test_tagging_needs_the_work_right_on_the_object(shop, staff, vip, now):
    ticket = make_ticket(shop, TicketType.INVOICE, now, actor=staff[Role.AFTER_SALE])
    with pytest.raises(PermissionDenied):
        tag_add(actor=staff[Role.PRE_SALE], target=ticket, tag=vip, now=now)
    assert tag_add(actor=staff[Role.AFTER_SALE], target=ticket, tag=vip, now=now)
    assert tag_add(actor=staff[Role.AFTER_SALE], target=ticket, tag=vip, now=now) is None
    assert TagLink.objects.count() == 1
    assert tag_remove(actor=staff[Role.AFTER_SALE], target=ticket, tag=vip, now=now)
    assert not TagLink.objects.exists()


def test_another_teams_tag_cannot_be_put_on_our_buyer(shop, other_shop, staff, vip, now):
    from tests.factories import make_user

    foreign_tag = tag_create(
        actor=make_user(other_shop, Role.SUPERVISOR),
        shop=other_shop,
        name="易纠纷",
        colour="#d92d20",
        now=now,
    )
    with pytest.raises(TagRefused):
        tag_add(actor=staff[Role.MANAGER], target=make_buyer(shop), tag=foreign_tag, now=now)


def test_queues_filter_by_the_tag_or_the_buyers_tag(shop, staff, vip, now, login):
    manager = staff[Role.MANAGER]
    tagged_ticket = make_ticket(shop, TicketType.INVOICE, now, actor=manager)
    plain_ticket = make_ticket(shop, TicketType.INVOICE, now, actor=manager)
    vip_buyer = make_buyer(shop, nick="VIP买家")
    buyers_ticket = make_ticket(
        shop, TicketType.REFUND_ONLY, now, actor=manager, order=make_order(shop, buyer=vip_buyer)
    )
    tag_add(actor=manager, target=tagged_ticket, tag=vip, now=now)
    tag_add(actor=manager, target=vip_buyer, tag=vip, now=now)
    client = login(manager)
    page = client.get(f"/tickets/?tag={vip.pk}&state=").content.decode()
    assert f"/tickets/{tagged_ticket.pk}/" in page and f"/tickets/{buyers_ticket.pk}/" in page
    assert f"/tickets/{plain_ticket.pk}/" not in page

    problem = make_problem(shop, now)
    other_problem = make_problem(shop, now)
    tag_add(actor=manager, target=problem, tag=vip, now=now)
    page = client.get(f"/orders/problems/?tag={vip.pk}").content.decode()
    assert f'data-problem="{problem.pk}"' in page or f"/orders/problems/{problem.pk}/" in page
    assert f"/orders/problems/{other_problem.pk}/" not in page

    conversation = make_conversation(shop, now=now, buyer=vip_buyer)
    other = make_conversation(shop, now=now)
    page = client.get(f"/chats/?view=all&tag={vip.pk}").content.decode()
    assert f"/chats/{conversation.pk}/" in page and f"/chats/{other.pk}/" not in page


def test_side_panel_adds_and_removes_with_htmx(shop, staff, vip, now, login):
    conversation = make_conversation(shop, now=now)
    client = login(staff[Role.PRE_SALE])
    url = f"/teamwork/tags/on/conversation/{conversation.pk}/"
    added = client.post(url, {"tag": vip.pk, "op": "add"}, headers={"HX-Request": "true"})
    assert "VIP" in added.content.decode() and TagLink.objects.count() == 1
    page = client.get(f"/chats/{conversation.pk}/").content.decode()
    assert 'class="tag c-7a3cff"' in page
    client.post(url, {"tag": vip.pk, "op": "remove"}, headers={"HX-Request": "true"})
    assert not TagLink.objects.exists()


def test_tag_list_page_and_workbench_counts(shop, staff, vip, now, login):
    tag_add(actor=staff[Role.MANAGER], target=make_buyer(shop), tag=vip, now=now)
    client = login(staff[Role.PRE_SALE])
    page = client.get("/teamwork/tags/").content.decode()
    assert "VIP" in page and "年消费过万" in page and "新建标签" not in page
    assert (
        client.post(
            "/teamwork/tags/", {"shop": shop.code, "name": "x", "colour": "#d92d20"}
        ).status_code
        == 403
    )
    home = client.get("/").content.decode()
    assert '<strong class="">1</strong><span>VIP</span>' in home
    client = login(staff[Role.SUPERVISOR])
    client.post("/teamwork/tags/", {"shop": shop.code, "name": "双11", "colour": "#d92d20"})
    assert Tag.objects.filter(name="双11").exists()
    client.post(f"/teamwork/tags/{vip.pk}/", {"shop": shop.code, "delete": "1"})
    assert not Tag.objects.filter(name="VIP").exists()


def test_tag_list_query_count_is_fixed(shop, staff, now, login, django_assert_num_queries):
    client = login(staff[Role.SUPERVISOR])
    for first, count in ((0, 2), (2, 10)):
        for n in range(first, first + count):
            tag = tag_create(
                actor=staff[Role.SUPERVISOR], shop=shop, name=f"标签{n}", colour="#1664ff", now=now
            )
            tag_add(actor=staff[Role.MANAGER], target=make_buyer(shop), tag=tag, now=now)
        with django_assert_num_queries(5):
            client.get("/teamwork/tags/")
