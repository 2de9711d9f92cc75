"""Every list page and list API runs a pinned number of queries, exactly, whether it shows
a few rows or a full page (Zulip's assert_database_query_count, NetBox's per-view
baselines). A rise fails here; so does a new route nobody classified as a list or not.

Each case seeds a few rows, requests the page, seeds many more, requests it again: both
requests must run exactly ``queries`` statements. The cache is cleared before each
request so a cached figure cannot hide a query that a cold request would run."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import get_resolver, reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from approvals.services import approval_request
from audit.services import audit
from chats.models import Message, OutboxMessage, Sender
from kpi.models import HandoverNote, QaKind, QaReview, Shift, ShopDsr
from orders.jobs import problem_digest
from orders.models import ImportRun, ProblemDigest
from scripts_lib.services import ScriptData, script_update
from tests.chats.factories import make_conversation
from tests.factories import make_buyer, make_order, make_user
from tests.orders.factories import make_problem, make_sku
from tests.reviews.factories import make_review
from tests.scripts_lib.factories import make_script
from tests.tickets.factories import make_ticket
from tickets.states import TicketType

pytestmark = pytest.mark.django_db

_serial = iter(range(1, 10**6))


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Seeders that store images (the catalogue's) write them here."""
    settings.MEDIA_ROOT = tmp_path / "private"


@dataclass
class World:
    shop: object
    team: object
    staff: dict
    now: object
    objects: dict = field(default_factory=dict)


@dataclass
class Case:
    role: Role
    url: Callable[[World], str]
    seed: Callable[[World, int], None]
    queries: int
    sizes: tuple[int, int] = (2, 25)
    api: bool = False
    headers: dict = field(default_factory=dict)


def fixed(path: str) -> Callable[[World], str]:
    return lambda world: path


# --- seeders: ``n`` more rows of what the list shows -------------------------------------


def orders(world, n):
    for _ in range(n):
        make_order(world.shop)


def problems(world, n):
    for _ in range(n):
        make_problem(world.shop, world.now, assignee=world.staff[Role.IN_SALE])


def skus(world, n):
    for _ in range(n):
        make_sku(world.shop, stock=next(_serial) % 3)


def digest_rows(world, n):
    problems(world, n)
    ProblemDigest.objects.filter(shop=world.shop).delete()
    problem_digest(shop=world.shop, now=world.now)


def import_runs(world, n):
    for _ in range(n):
        ImportRun.objects.create(
            shop=world.shop,
            kind="orders",
            file_name="ExportOrderList.csv",
            stored_path="imports/x.csv",
            created_by=world.staff[Role.IN_SALE],
            created_at=world.now,
        )


def buyer_orders(world, n):
    buyer = world.objects.setdefault("buyer", make_buyer(world.shop))
    for _ in range(n):
        make_order(world.shop, buyer=buyer)
        make_conversation(world.shop, now=world.now, buyer=buyer, state="closed")


def conversations(world, n):
    """Rows with everything a queue row shows: a tag on the conversation and on its buyer,
    an order of the buyer, waiting and served rows."""
    from teamwork.models import Tag, TagLink, TagTarget

    tag = world.objects.get("tag") or Tag.objects.create(
        team=world.team, name="VIP", created_at=world.now
    )
    world.objects["tag"] = tag
    for i in range(n):
        served = i % 2 == 0
        conversation = make_conversation(
            world.shop,
            now=world.now,
            assignee=world.staff[Role.PRE_SALE] if served else None,
            state="active" if served else "queued",
        )
        make_order(world.shop, conversation.buyer, ordered_at=world.now)
        for kind, target in (
            (TagTarget.CONVERSATION, conversation.pk),
            (TagTarget.BUYER, conversation.buyer_id),
        ):
            TagLink.objects.create(
                tag=tag, shop=world.shop, target_type=kind, target_id=target, created_at=world.now
            )


def waiting_conversations(world, n):
    for _ in range(n):
        make_conversation(
            world.shop,
            now=world.now - timedelta(hours=2),
            assignee=world.staff[Role.PRE_SALE],
            state="active",
        )


def messages(world, n):
    if "conversation" not in world.objects:
        world.objects["conversation"] = make_conversation(
            world.shop, now=world.now, assignee=world.staff[Role.PRE_SALE], state="active"
        )
    conversation = world.objects["conversation"]
    Message.objects.bulk_create(
        Message(
            conversation=conversation,
            channel=conversation.channel,
            sender=Sender.BUYER,
            text=f"第{next(_serial)}条",
            sent_at=world.now,
        )
        for _ in range(n)
    )


def tickets(world, n):
    for _ in range(n):
        make_ticket(
            world.shop, TicketType.REFUND_ONLY, world.now, actor=world.staff[Role.AFTER_SALE]
        )


def damage_tickets(world, n):
    for _ in range(n):
        make_ticket(world.shop, TicketType.DAMAGED, world.now, actor=world.staff[Role.AFTER_SALE])


def approvals(world, n):
    for _ in range(n):
        approval_request(
            actor=world.staff[Role.PRE_SALE],
            shop=world.shop,
            kind="discount",
            amount=Decimal("30"),
            reason="老顾客想要再便宜",
            subject=world.shop,
            now=world.now,
        )


def notifications(world, n):
    from approvals.models import Notification

    Notification.objects.bulk_create(
        Notification(
            user=world.staff[Role.AFTER_SALE],
            shop=world.shop,
            text="退款审批已通过",
            link="/tickets/",
            created_at=world.now,
        )
        for _ in range(n)
    )


def reviews(world, n):
    for _ in range(n):
        make_review(world.shop, assignee=world.staff[Role.REVIEW_SPECIALIST])


def scripts(world, n):
    for _ in range(n):
        make_script(world.team, world.shop, code=f"s{next(_serial)}")


def script_versions(world, n):
    if "script" not in world.objects:
        world.objects["script"] = make_script(world.team, world.shop, code="ver")
    script = world.objects["script"]
    for _ in range(n):
        script_update(
            actor=world.staff[Role.SUPERVISOR],
            script=script,
            data=ScriptData(
                category="greeting", title="欢迎", code="ver", body=f"您好，第{next(_serial)}版"
            ),
            now=world.now,
        )
        script.refresh_from_db()


def script_uses(world, n):
    from scripts_lib.models import ScriptUsage

    script = make_script(world.team, world.shop, code=f"use{next(_serial)}")
    ScriptUsage.objects.bulk_create(
        ScriptUsage(
            script=script,
            agent=make_user(world.shop, Role.PRE_SALE),
            count=3,
            last_used_at=world.now,
        )
        for _ in range(n)
    )


def outbox(world, n):
    for _ in range(n):
        serial = next(_serial)
        OutboxMessage.objects.create(
            shop=world.shop,
            kind="delivery_followup",
            key=f"pin-{serial}",
            buyer=make_buyer(world.shop),
            text="您好",
            status="failed" if serial % 2 else "sent",
            created_at=world.now,
            next_attempt_at=world.now,
            sent_at=None if serial % 2 else world.now,
        )


def audit_events(world, n):
    for _ in range(n):
        audit(world.staff[Role.MANAGER], "shop.touched", world.shop, now=world.now)


def staff_members(world, n):
    for _ in range(n):
        make_user(world.shop, Role.PRE_SALE)


def qa_reviews(world, n):
    for _ in range(n):
        agent = make_user(world.shop, Role.PRE_SALE)
        conversation = make_conversation(world.shop, now=world.now, assignee=agent)
        QaReview.objects.create(
            shop=world.shop,
            agent=agent,
            conversation=conversation,
            kind=QaKind.SAMPLE,
            week="2026-W47",
            created_at=world.now,
        )


def own_qa_reviews(world, n):
    from kpi.models import QaState

    agent = world.staff[Role.PRE_SALE]
    for _ in range(n):
        QaReview.objects.create(
            shop=world.shop,
            agent=agent,
            conversation=make_conversation(world.shop, now=world.now, assignee=agent),
            kind=QaKind.SAMPLE,
            week="2026-W47",
            state=QaState.SCORED,
            total=Decimal("80"),
            created_at=world.now,
            scored_at=world.now,
            reviewer=world.staff[Role.SUPERVISOR],
        )


def handover_notes(world, n):
    for _ in range(n):
        HandoverNote.objects.create(
            shop=world.shop,
            shift_date=world.now.date(),
            shift=Shift.choices[0][0],
            buyer=make_buyer(world.shop),
            buyer_nick="小鹿",
            channel="旺旺",
            cause="地址要改",
            wish="改到公司",
            todo="联系仓库",
            author=world.staff[Role.PRE_SALE],
            created_at=world.now,
        )


def dsr_days(world, n):
    start = world.objects.setdefault("dsr_day", world.now.date() - timedelta(days=300))
    for offset in range(n):
        ShopDsr.objects.create(
            shop=world.shop,
            day=start + timedelta(days=offset),
            description=Decimal("4.80"),
            service=Decimal("4.80"),
            logistics=Decimal("4.80"),
            source="manual",
            recorded_at=world.now,
        )
    world.objects["dsr_day"] = start + timedelta(days=n)


def agent_days(world, n):
    from kpi.models import ShopDay
    from tests.kpi.factories import make_history

    ShopDay.objects.filter(shop=world.shop).delete()  # make_history writes the shop's days too
    make_history(world.shop, [make_user(world.shop, Role.PRE_SALE) for _ in range(n)], days=2)


def shops(world, n):
    from accounts.models import Membership
    from tests.factories import make_shop

    for _ in range(n):
        shop = make_shop(world.team)
        Membership.objects.create(user=world.staff[Role.MANAGER], shop=shop, role=Role.MANAGER)


def workbench(world, n):
    problems(world, n)
    tickets(world, n)
    conversations(world, n)


def ticket_notes(world, n):
    from teamwork.models import Note, NoteTarget

    ticket = world.objects.get("noted_ticket")
    if ticket is None:
        ticket = world.objects["noted_ticket"] = make_ticket(
            world.shop, TicketType.INVOICE, world.now
        )
    for _ in range(n):
        note = Note.objects.create(
            shop=world.shop,
            target_type=NoteTarget.TICKET,
            target_id=ticket.pk,
            author=make_user(world.shop, Role.AFTER_SALE),
            body="内部：已电话联系",
            created_at=world.now,
        )
        note.mentioned.set([world.staff[Role.SUPERVISOR]])


def team_tags(world, n):
    from teamwork.models import Tag, TagLink, TagTarget

    ticket = world.objects.get("tagged_ticket")
    if ticket is None:
        ticket = world.objects["tagged_ticket"] = make_ticket(
            world.shop, TicketType.INVOICE, world.now
        )
    for _ in range(n):
        tag = Tag.objects.create(
            team=world.team, name=f"标签{next(_serial)}", colour="#7a3cff", created_at=world.now
        )
        TagLink.objects.create(
            tag=tag,
            shop=world.shop,
            target_type=TagTarget.TICKET,
            target_id=ticket.pk,
            created_at=world.now,
        )


def tags_on_url(world):
    team_tags(world, 0)
    return f"/api/v1/tags/on/ticket/{world.objects['tagged_ticket'].pk}/"


def routing_rules(world, n):
    from teamwork.models import AgentGroup, RoutingRule

    for _ in range(n):
        serial = next(_serial)
        group = AgentGroup.objects.create(shop=world.shop, name=f"组{serial}", created_at=world.now)
        RoutingRule.objects.create(
            shop=world.shop,
            name=f"规则{serial}",
            position=serial,
            keywords=["大码"],
            group=group,
            created_at=world.now,
        )


def webhook_deliveries(world, n):
    from teamwork.models import WebhookDelivery, WebhookEndpoint

    for _ in range(n):
        endpoint = WebhookEndpoint.objects.create(
            shop=world.shop,
            url=f"http://93.184.216.34/{next(_serial)}",
            events=["ticket.created"],
            created_at=world.now,
        )
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            shop=world.shop,
            event_id=f"evt-{next(_serial)}",
            event="ticket.created",
            body="{}",
            next_attempt_at=world.now,
            created_at=world.now,
        )


def notes_url(prefix: str):
    def url(world):
        ticket_notes(world, 0)
        return f"{prefix}/ticket/{world.objects['noted_ticket'].pk}/"

    return url


def conversation_url(world):
    messages(world, 0)
    return reverse("chats:messages", args=[world.objects["conversation"].pk]) + "?after=0"


def conversation_page_url(world):
    messages(world, 0)
    return reverse("chats:conversation", args=[world.objects["conversation"].pk])


def buyer_url(world):
    buyer_orders(world, 0)
    return reverse("orders:buyer", args=[world.objects["buyer"].pk])


def versions_url(world):
    script_versions(world, 0)
    return reverse("scripts_lib:versions", args=[world.objects["script"].pk])


HTMX = {"HTTP_HX_REQUEST": "true"}


def products(world, n):
    from tests.catalogue.factories import make_product

    for _ in range(n):
        make_product(world.shop, title=f"纯棉T恤 {next(_serial)}", image=False)


def library_images(world, n):
    from tests.catalogue.factories import make_library_image

    for _ in range(n):
        make_library_image(world.shop)


def _composer_conversation(world):
    if "conversation" not in world.objects:
        world.objects["conversation"] = make_conversation(
            world.shop, now=world.now, assignee=world.staff[Role.PRE_SALE], state="active"
        )
    return world.objects["conversation"]


def composer_products_url(world):
    return reverse("chats:products", args=[_composer_conversation(world).pk]) + "?q=T恤"


def composer_library_url(world):
    return reverse("chats:library", args=[_composer_conversation(world).pk])


CASES: dict[str, Case] = {
    "home": Case(Role.SUPERVISOR, fixed("/"), workbench, 14),
    "audit:list": Case(Role.SUPERVISOR, fixed("/audit/"), audit_events, 7),
    "accounts:shop_staff": Case(
        Role.MANAGER, lambda w: reverse("accounts:shop_staff", args=[w.shop.code]), staff_members, 6
    ),
    "orders:list": Case(Role.PRE_SALE, fixed("/orders/"), orders, 6),
    "orders:problems": Case(Role.IN_SALE, fixed("/orders/problems/?per_page=100"), problems, 9),
    "orders:problems htmx": Case(
        Role.IN_SALE, fixed("/orders/problems/?per_page=100"), problems, 9, headers=HTMX
    ),
    "orders:stock": Case(Role.IN_SALE, fixed("/orders/stock/"), skus, 6),
    "orders:digest": Case(Role.IN_SALE, fixed("/orders/digest/"), digest_rows, 7),
    "orders:import": Case(Role.IN_SALE, fixed("/orders/import/"), import_runs, 5),
    "orders:buyer": Case(Role.PRE_SALE, buyer_url, buyer_orders, 9),
    "chats:workspace": Case(Role.PRE_SALE, fixed("/chats/"), conversations, 11),
    "chats:queue": Case(Role.PRE_SALE, fixed("/chats/queue/?view=all"), conversations, 9),
    "chats:messages": Case(Role.PRE_SALE, conversation_url, messages, 7),
    "chats:conversation": Case(Role.PRE_SALE, conversation_page_url, messages, 26),
    "chats:alerts": Case(Role.SUPERVISOR, fixed("/chats/alerts/"), waiting_conversations, 4),
    "tickets:queue": Case(Role.AFTER_SALE, fixed("/tickets/?state=open&size=100"), tickets, 8),
    "tickets:register": Case(
        Role.AFTER_SALE, fixed("/tickets/registers/damage/"), damage_tickets, 6
    ),
    "tickets:inbox": Case(Role.SUPERVISOR, fixed("/tickets/inbox/"), approvals, 8),
    "tickets:notifications": Case(
        Role.AFTER_SALE, fixed("/tickets/notifications/"), notifications, 5
    ),
    "reviews:list": Case(Role.REVIEW_SPECIALIST, fixed("/reviews/"), reviews, 8),
    "reviews:register": Case(Role.REVIEW_SPECIALIST, fixed("/reviews/register/"), reviews, 7),
    "scripts_lib:list": Case(Role.SUPERVISOR, fixed("/scripts/"), scripts, 8),
    "scripts_lib:pick": Case(Role.PRE_SALE, fixed("/scripts/pick/?shop=shop-a"), scripts, 5),
    "scripts_lib:versions": Case(Role.SUPERVISOR, versions_url, script_versions, 6),
    "scripts_lib:usage": Case(Role.SUPERVISOR, fixed("/scripts/usage/"), script_uses, 5),
    "outreach:outbox": Case(Role.SUPERVISOR, fixed("/outreach/"), outbox, 9),
    "kpi:dashboard": Case(Role.MANAGER, fixed("/kpi/"), agent_days, 19),
    "kpi:mine": Case(Role.PRE_SALE, fixed("/kpi/mine/"), own_qa_reviews, 21),
    "kpi:agents": Case(Role.MANAGER, fixed("/kpi/agents/"), agent_days, 5),
    "kpi:qa_queue": Case(Role.SUPERVISOR, fixed("/kpi/qa/"), qa_reviews, 7),
    "kpi:handover": Case(Role.PRE_SALE, fixed("/kpi/handover/"), handover_notes, 6),
    "kpi:dsr": Case(Role.MANAGER, fixed("/kpi/dsr/"), dsr_days, 5),
    "api-shops": Case(Role.MANAGER, fixed("/api/v1/shops/"), shops, 1, api=True),
    # keyset pages (helpdesk/keyset.py): one query, no count
    "api-orders": Case(Role.IN_SALE, fixed("/api/v1/orders/?page_size=100"), orders, 1, api=True),
    "api-problems": Case(
        Role.IN_SALE, fixed("/api/v1/problems/?page_size=100"), problems, 2, api=True
    ),
    "conversation-list": Case(
        Role.PRE_SALE, fixed("/api/v1/conversations/"), conversations, 2, api=True
    ),
    "api-tickets": Case(
        Role.AFTER_SALE, fixed("/api/v1/tickets/?page_size=100"), tickets, 2, api=True
    ),
    "api-reviews": Case(
        Role.SUPERVISOR, fixed("/api/v1/reviews/?page_size=100"), reviews, 1, api=True
    ),
    "teamwork:notes": Case(
        Role.AFTER_SALE, notes_url("/teamwork/notes"), ticket_notes, 5, headers=HTMX
    ),
    "api-notes": Case(Role.AFTER_SALE, notes_url("/api/v1/notes"), ticket_notes, 3, api=True),
    "api-tags": Case(Role.AFTER_SALE, fixed("/api/v1/tags/?shop=shop-a"), team_tags, 2, api=True),
    "api-tags-on": Case(Role.AFTER_SALE, tags_on_url, team_tags, 2, api=True),
    "catalogue:products": Case(Role.SUPERVISOR, fixed("/catalogue/?shop=shop-a"), products, 7),
    "catalogue:images": Case(Role.SUPERVISOR, fixed("/catalogue/images/"), library_images, 7),
    "chats:products": Case(Role.PRE_SALE, composer_products_url, products, 5),
    "chats:library": Case(Role.PRE_SALE, composer_library_url, library_images, 5),
    "api-routing-rules": Case(
        Role.SUPERVISOR, fixed("/api/v1/routing/rules/?shop=shop-a"), routing_rules, 2, api=True
    ),
    "api-webhooks": Case(
        Role.MANAGER, fixed("/api/v1/webhooks/?shop=shop-a"), webhook_deliveries, 2, api=True
    ),
    "api-webhook-deliveries": Case(
        Role.MANAGER,
        fixed("/api/v1/webhooks/deliveries/?shop=shop-a"),
        webhook_deliveries,
        2,
        api=True,
    ),
    "api-scripts": Case(Role.PRE_SALE, fixed("/api/v1/scripts/?shop=shop-a"), scripts, 3, api=True),
}


def _client(client, user, api: bool):
    if api:
        api_client = APIClient()
        api_client.force_authenticate(user)
        return api_client
    client.force_login(user)
    return client


def _measured(client, url, headers, django_assert_num_queries, expected):
    cache.clear()
    with django_assert_num_queries(expected):
        response = client.get(url, **headers)
    assert response.status_code in (200, 204), response.status_code
    return response


@pytest.mark.parametrize("name", CASES)
def test_list_runs_exactly_its_pinned_queries_at_two_sizes(
    name, client, shop, team, staff, now, django_assert_num_queries
):
    case = CASES[name]
    world = World(shop=shop, team=team, staff=staff, now=now)
    user = staff[case.role]
    small, large = case.sizes
    case.seed(world, small)
    url = case.url(world)
    http = _client(client, user, case.api)
    http.get(url, **case.headers)  # warm-up: the session's first touch is not the list's
    _measured(http, url, case.headers, django_assert_num_queries, case.queries)
    case.seed(world, large - small)
    _measured(http, url, case.headers, django_assert_num_queries, case.queries)


DETAIL = "one object's page or action, not a list"
NOT_LISTS = {
    "healthz": "liveness probe",
    "live:events": "a push stream: ids and kinds, no list",
    "buyer_chat:events": "a push stream: ids and kinds, no list",
    "login": "form",
    "logout": "action",
    "set_language": "action",
    "accounts:api_token": "form",
    "accounts:shop_settings": "one shop's settings form",
    "accounts:staff_deactivate": DETAIL,
    "orders:detail": DETAIL,
    "orders:memo": DETAIL,
    "orders:import_run": "one import run's progress",
    "orders:import_sample": "a fixed file",
    "orders:import_items_sample": "a fixed file",
    "orders:problem_new": "form",
    "orders:claim_next": DETAIL,
    "orders:problem": DETAIL,
    "orders:problem_action": DETAIL,
    "orders:buyer_wish_add": DETAIL,
    "orders:stock_set": DETAIL,
    "orders:digest_build": "action",
    "orders:digest_xlsx": "export (tests/spreadsheets)",
    "chats:presence": "action",
    "chats:reply": DETAIL,
    "chats:check": DETAIL,
    "chats:scripts": "the composer's script fragment: scripts_lib:pick is pinned",
    "chats:claim": DETAIL,
    "chats:transfer": DETAIL,
    "chats:assign": DETAIL,
    "chats:close": DETAIL,
    "chats:concession": DETAIL,
    "chats:stock_wish": DETAIL,
    "buyer_chat:survey": "the buyer's one-question survey",
    "buyer_chat:chat": "the buyer's own chat window",
    "buyer_chat:send": "action",
    "buyer_chat:messages": "the buyer's own poll of one conversation",
    "buyer_chat:image": "one photo",
    "chat-image": "one photo",
    "chats:image_to_ticket": DETAIL,
    "chats:order_card": DETAIL,
    "chats:product_card": DETAIL,
    "chats:library_image": DETAIL,
    "catalogue:refresh": "action",
    "catalogue:product": DETAIL,
    "catalogue:product_image": "one image",
    "catalogue:image_add": "upload form",
    "catalogue:image_file": "one image",
    "catalogue:image_rename": DETAIL,
    "catalogue:image_delete": DETAIL,
    "tickets:new": "form",
    "tickets:import": "upload form",
    "tickets:import_sample": "a fixed file",
    "tickets:detail": DETAIL,
    "tickets:act": DETAIL,
    "tickets:reply": DETAIL,
    "tickets:tick_step": DETAIL,
    "tickets:costs": DETAIL,
    "tickets:escalate": DETAIL,
    "tickets:take": DETAIL,
    "tickets:upload_photo": DETAIL,
    "tickets:photo": "one photo",
    "tickets:decide": DETAIL,
    "tickets:handle_breach": DETAIL,
    "tickets:handle_escalation": DETAIL,
    "tickets:notifications_badge": "one count",
    "reviews:import": "upload form",
    "reviews:import_sample": "a fixed file",
    "reviews:register_xlsx": "export (tests/spreadsheets)",
    "reviews:detail": DETAIL,
    "reviews:transition": DETAIL,
    "reviews:assign": DETAIL,
    "reviews:draft_check": DETAIL,
    "reviews:draft_save": DETAIL,
    "reviews:mark_extortion": DETAIL,
    "reviews:select_evidence": DETAIL,
    "reviews:evidence_pack": "export (tests/spreadsheets)",
    "scripts_lib:create": "form",
    "scripts_lib:edit": DETAIL,
    "scripts_lib:use": DETAIL,
    "scripts_lib:export": "export (tests/spreadsheets)",
    "scripts_lib:import": "upload form",
    "scripts_lib:check": DETAIL,
    "outreach:outbox_retry": DETAIL,
    "knowledge:list": "list, pinned in tests/knowledge/test_pages.py",
    "knowledge:new": "form",
    "knowledge:edit": DETAIL,
    "knowledge:toggle": DETAIL,
    "knowledge:import": "upload form",
    "knowledge:export": "export (tests/spreadsheets)",
    "knowledge:auto_answer": DETAIL,
    "knowledge:suggestions": "at most three suggestions for one chat",
    "knowledge:entries": "the entries for one chat's product",
    "teamwork:webhooks": "list, pinned in tests/teamwork/test_webhooks.py",
    "teamwork:webhook_test": DETAIL,
    "teamwork:webhook_active": DETAIL,
    "teamwork:tags": "list, pinned in tests/teamwork/test_tags.py",
    "teamwork:tag_edit": DETAIL,
    "teamwork:tag_panel": DETAIL,
    "teamwork:routing": "list, pinned in tests/teamwork/test_routing.py",
    "teamwork:rule_new": "form",
    "teamwork:rule_change": DETAIL,
    "teamwork:group_new": "form",
    "teamwork:rule_edit": "form",
    "teamwork:group_edit": "form",
    "teamwork:group_queue": "list, pinned in tests/teamwork/test_routing.py",
    "tickets:signed_intact": DETAIL,
    "accounts:staff_reactivate": DETAIL,
    "accounts:staff_remove": DETAIL,
    "outreach:jobs": "the fixed set of scheduled jobs",
    "outreach:job_schedule": DETAIL,
    "outreach:job_run": DETAIL,
    "kpi:export": "export (tests/spreadsheets)",
    "kpi:dsr_import": "upload form",
    "kpi:agent": "one agent's figures",
    "kpi:conversation": DETAIL,
    "kpi:qa_review": DETAIL,
    "kpi:qa_mystery": DETAIL,
    "kpi:handover_ack": DETAIL,
    "api-root": "links",
    "api-schema": "the OpenAPI document",
    "api-docs": "the API browser",
    "api-me": DETAIL,
    "api-order": DETAIL,
    "api-problem-claim-next": DETAIL,
    "api-problem-claim": DETAIL,
    "api-problem-transition": DETAIL,
    "api-problem-memo": DETAIL,
    "channel-messages": "the chat bridge's inbound webhook",
    "conversation-detail": DETAIL,
    "api-ticket-detail": DETAIL,
    "api-ticket-action": DETAIL,
    "api-review": DETAIL,
    "api-review-transition": DETAIL,
    "api-review-assign": DETAIL,
    "api-review-drafts": DETAIL,
    "api-review-extortion": DETAIL,
    "api-review-evidence": DETAIL,
    "api-review-evidence-pack": "export (tests/spreadsheets)",
    "api-scripts-check": DETAIL,
    "api-kpi-report": "one day's figures",
    "presence:watchers": "who else has one object open (from the cache, no list query)",
    "presence:beat": "one object's heartbeat",
    "api-routing-test": "one answer: the rule that would take a message",
    "api-tag-off": DETAIL,
}


def _route_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=""):
        for entry in patterns:
            if hasattr(entry, "url_patterns"):
                if entry.namespace == "admin":
                    continue  # Django's own admin pages
                inner = ":".join(filter(None, [namespace, entry.namespace or ""]))
                walk(entry.url_patterns, inner)
            elif entry.name:
                names.add(f"{namespace}:{entry.name}" if namespace else entry.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_route_is_pinned_as_a_list_or_said_not_to_be_one():
    pinned = {name.split(" ")[0] for name in CASES}
    assert _route_names() - pinned - set(NOT_LISTS) == set()
    assert pinned & set(NOT_LISTS) == set()
