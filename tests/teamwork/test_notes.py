import pytest

from accounts.roles import Role
from approvals.models import Notification
from audit.models import AuditEvent
from chats.models import Message, OutboxMessage
from teamwork.errors import NoteRefused
from teamwork.models import Note
from teamwork.notes import note_add
from tests.chats.factories import make_conversation
from tests.factories import make_user
from tests.tickets.factories import make_ticket
from tickets.models import TicketType

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(shop, now, staff):
    return make_ticket(shop, TicketType.REFUND_ONLY, now, actor=staff[Role.AFTER_SALE])


def test_mention_by_work_number_and_name_notifies_with_a_link(shop, staff, ticket, now):
    author = staff[Role.AFTER_SALE]
    boss = staff[Role.SUPERVISOR]
    colleague = make_user(shop, Role.AFTER_SALE, display_name="阿杰", work_number="2048")
    note = note_add(
        actor=author,
        target=ticket,
        body=f"@2048 买家说明天寄回，@{boss.username} 请留意额度",
        now=now,
    )
    assert set(note.mentioned.all()) == {colleague, boss}
    sent = Notification.objects.get(user=colleague)
    assert sent.link == f"/tickets/{ticket.pk}/#note-{note.pk}"
    assert author.label in sent.text and "买家说明天寄回" in sent.text
    assert Notification.objects.filter(user=boss).count() == 1
    assert AuditEvent.objects.filter(verb="note.added", object_id=str(note.pk)).exists()


def test_mentioning_someone_who_may_not_see_the_object_is_refused(shop, staff, ticket, now):
    pre_sale = make_user(shop, Role.PRE_SALE, display_name="小美", work_number="1024")
    with pytest.raises(NoteRefused, match="小美"):
        note_add(actor=staff[Role.AFTER_SALE], target=ticket, body="@1024 帮我看下", now=now)
    assert not Note.objects.exists() and not Notification.objects.filter(user=pre_sale).exists()


def test_a_member_of_another_shop_is_not_mentioned(shop, other_shop, staff, ticket, now):
    stranger = make_user(other_shop, Role.MANAGER, work_number="7777")
    note = note_add(actor=staff[Role.AFTER_SALE], target=ticket, body="@7777 看看", now=now)
    assert not note.mentioned.exists()
    assert not Notification.objects.filter(user=stranger).exists()


def test_a_role_that_may_not_see_the_object_cannot_write_a_note(staff, ticket, now):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        note_add(actor=staff[Role.IN_SALE], target=ticket, body="看不到", now=now)


def test_empty_note_is_refused(staff, ticket, now):
    with pytest.raises(NoteRefused):
        note_add(actor=staff[Role.AFTER_SALE], target=ticket, body="   ", now=now)


def test_note_on_a_conversation_never_reaches_the_buyer(shop, staff, now):
    """The buyer's page and the bridge see chat Messages and the outbox only; a note is
    neither."""
    conversation = make_conversation(shop, now=now)
    note_add(actor=staff[Role.PRE_SALE], target=conversation, body="这位买家上次退过货", now=now)
    assert not OutboxMessage.objects.exists()
    assert not Message.objects.filter(text__contains="上次退过货").exists()


@pytest.mark.parametrize("kind", ["ticket", "problem", "review", "conversation"])
def test_notes_show_on_the_object_page_in_their_own_style(kind, shop, staff, now, login):
    from tests.orders.factories import make_problem
    from tests.reviews.factories import make_review

    manager = staff[Role.MANAGER]
    target = {
        "ticket": lambda: make_ticket(shop, TicketType.INVOICE, now, actor=manager),
        "problem": lambda: make_problem(shop, now),
        "review": lambda: make_review(shop),
        "conversation": lambda: make_conversation(shop, now=now),
    }[kind]()
    client = login(manager)
    response = client.post(f"/teamwork/notes/{kind}/{target.pk}/", {"body": "内部：先别退款"})
    assert response.status_code == 302
    url = {
        "ticket": f"/tickets/{target.pk}/",
        "problem": f"/orders/problems/{target.pk}/",
        "review": f"/reviews/{target.pk}/",
        "conversation": f"/chats/{target.pk}/",
    }[kind]
    page = client.get(url, headers={"HX-Request": "true"} if kind == "problem" else {})
    html = page.content.decode()
    assert 'class="note-internal"' in html and "内部：先别退款" in html


def test_note_panel_refuses_a_foreign_or_invisible_object(shop, other_shop, staff, now, login):
    foreign = make_ticket(other_shop, TicketType.INVOICE, now)
    own = make_ticket(shop, TicketType.INVOICE, now)
    client = login(staff[Role.MANAGER])
    assert client.post(f"/teamwork/notes/ticket/{foreign.pk}/", {"body": "x"}).status_code == 404
    assert client.post(f"/teamwork/notes/unknown/{own.pk}/", {"body": "x"}).status_code == 404
    client = login(staff[Role.PRE_SALE])
    assert client.post(f"/teamwork/notes/ticket/{own.pk}/", {"body": "x"}).status_code == 404
    assert not Note.objects.exists()


def test_htmx_post_swaps_the_panel_and_shows_a_refusal(shop, staff, ticket, now, login):
    make_user(shop, Role.PRE_SALE, work_number="1024")
    client = login(staff[Role.AFTER_SALE])
    response = client.post(
        f"/teamwork/notes/ticket/{ticket.pk}/",
        {"body": "@1024 看下"},
        headers={"HX-Request": "true"},
    )
    assert "不能被提及" in response.content.decode() and not Note.objects.exists()
    response = client.post(
        f"/teamwork/notes/ticket/{ticket.pk}/",
        {"body": "已电话联系"},
        headers={"HX-Request": "true"},
    )
    assert 'class="note-internal"' in response.content.decode()


def test_api_lists_and_adds_notes(shop, staff, ticket, now):
    from rest_framework.test import APIClient

    colleague = make_user(shop, Role.AFTER_SALE, work_number="2048")
    api = APIClient()
    api.force_authenticate(staff[Role.AFTER_SALE])
    created = api.post(f"/api/v1/notes/ticket/{ticket.pk}/", {"body": "@2048 接手一下"})
    assert created.status_code == 201 and created.json()["mentioned"] == [colleague.label]
    listed = api.get(f"/api/v1/notes/ticket/{ticket.pk}/").json()
    assert [n["body"] for n in listed] == ["@2048 接手一下"]
    api.force_authenticate(staff[Role.PRE_SALE])
    assert api.get(f"/api/v1/notes/ticket/{ticket.pk}/").status_code == 404
    assert api.post(f"/api/v1/notes/ticket/{ticket.pk}/", {"body": "x"}).status_code == 404
