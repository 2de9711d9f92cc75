import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from helpdesk.errors import ConflictError, DomainError
from kpi.models import HandoverNote
from kpi.services import handover_acknowledge, handover_write
from tests.factories import make_buyer, make_user

pytestmark = pytest.mark.django_db
NOTE = {
    "shift_date": "2026-11-23",
    "shift": "evening",
    "buyer_nick": "小鹿乱撞的猫",
    "channel": "旺旺",
    "cause": "连衣裙 M 码缺货",
    "wish": "想等补货，不要退款",
    "todo": "到货后第一时间联系她，保留订单并在备注里写明",
}


def test_agent_writes_a_note_and_the_next_shift_acknowledges_it(login, staff, shop):
    buyer = make_buyer(shop, nick="小鹿乱撞的猫")
    author, next_shift = staff[Role.PRE_SALE], staff[Role.IN_SALE]
    response = login(author).post(reverse("kpi:handover"), NOTE)
    assert response.status_code == 302
    note = HandoverNote.objects.get()
    assert note.buyer == buyer and note.author == author
    client = login(next_shift)
    page = client.get(reverse("kpi:handover"))
    assert list(page.context["open_notes"]) == [note]
    assert client.post(reverse("kpi:handover_ack", args=[note.pk])).status_code == 302
    note.refresh_from_db()
    assert note.acknowledged_by == next_shift
    assert list(client.get(reverse("kpi:handover")).context["open_notes"]) == []
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"handover.written", "handover.acknowledged"} <= verbs


def test_author_cannot_acknowledge_their_own_note_and_nobody_twice(staff, shop, now):
    note = handover_write(
        actor=staff[Role.PRE_SALE],
        shop=shop,
        now=now,
        **{**NOTE, "shift_date": now.date()},
    )
    with pytest.raises(DomainError):
        handover_acknowledge(actor=staff[Role.PRE_SALE], note=note, now=now)
    handover_acknowledge(actor=staff[Role.IN_SALE], note=note, now=now)
    with pytest.raises(ConflictError):
        handover_acknowledge(actor=staff[Role.AFTER_SALE], note=note, now=now)


def test_incomplete_note_is_refused_and_nothing_is_written(staff, shop, now):
    with pytest.raises(DomainError):
        handover_write(
            actor=staff[Role.PRE_SALE],
            shop=shop,
            now=now,
            **{**NOTE, "shift_date": now.date(), "wish": "  "},
        )
    assert not HandoverNote.objects.exists()


def test_other_shops_notes_are_invisible(login, staff, shop, other_shop, now):
    note = handover_write(
        actor=staff[Role.PRE_SALE], shop=shop, now=now, **{**NOTE, "shift_date": now.date()}
    )
    stranger = login(make_user(other_shop, Role.SUPERVISOR))
    assert stranger.get(reverse("kpi:handover"), {"shop": "shop-a"}).status_code == 404
    assert stranger.post(reverse("kpi:handover_ack", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.acknowledged_at is None


def test_the_date_field_is_filled_with_today_in_the_format_date_inputs_read(login, staff, shop):
    from django.utils import timezone

    from kpi.days import local_day

    page = login(staff[Role.PRE_SALE]).get(reverse("kpi:handover")).content.decode()
    assert f'value="{local_day(timezone.now()):%Y-%m-%d}"' in page
