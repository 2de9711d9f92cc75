import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from audit.models import AuditEvent
from knowledge.models import AutoAnswerSetting, KnowledgeEntry
from knowledge.services import knowledge_import
from knowledge.sources import forget_engines
from tests.chats.factories import make_conversation
from tests.factories import make_order

KB = Path(__file__).parent / "eval" / "kb.csv"


@pytest.fixture(autouse=True)
def _fresh_engines():
    forget_engines()
    yield
    forget_engines()


def _entry(shop, key, now, **fields):
    fields.setdefault("question", f"问题{key}")
    fields.setdefault("answer", "满 99 元包邮。")
    return KnowledgeEntry.objects.create(
        shop=shop, key=key, created_at=now, updated_at=now, **fields
    )


@pytest.mark.django_db
def test_supervisor_creates_an_entry_and_the_change_is_audited(login, shop, staff):
    client = login(staff[Role.SUPERVISOR])
    response = client.post(
        reverse("knowledge:new"),
        {
            "shop": shop.code,
            "key": "K9",
            "question": "包邮吗",
            "phrasings": "免邮吗\n运费多少",
            "answer": "满 99 元包邮。",
            "products": "",
            "category": "物流",
        },
    )
    assert response.status_code == 302
    entry = KnowledgeEntry.objects.get(shop=shop, key="K9")
    assert entry.phrasings == ["免邮吗", "运费多少"]
    assert AuditEvent.objects.filter(verb="knowledge.created").exists()


@pytest.mark.django_db
def test_an_answer_the_etiquette_checker_flags_is_refused(login, shop, staff):
    client = login(staff[Role.SUPERVISOR])
    response = client.post(
        reverse("knowledge:new"),
        {"shop": shop.code, "key": "K9", "question": "能便宜吗", "answer": "我不知道。"},
    )
    assert response.status_code == 200
    assert "客服用语规范" in response.content.decode()
    assert not KnowledgeEntry.objects.exists()


@pytest.mark.django_db
def test_agents_read_but_may_not_edit(login, shop, staff, now):
    entry = _entry(shop, "K1", now)
    client = login(staff[Role.PRE_SALE])
    assert client.get(reverse("knowledge:list")).status_code == 200
    assert client.get(reverse("knowledge:new")).status_code == 403
    assert client.get(reverse("knowledge:edit", args=[entry.pk])).status_code == 403
    assert client.post(reverse("knowledge:toggle", args=[entry.pk])).status_code == 403
    assert client.post(reverse("knowledge:auto_answer", args=[shop.code])).status_code == 403
    entry.refresh_from_db()
    assert entry.is_active


@pytest.mark.django_db
def test_supervisor_disables_an_entry_and_turns_auto_answers_on(login, shop, staff, now):
    entry = _entry(shop, "K1", now)
    client = login(staff[Role.SUPERVISOR])
    client.post(reverse("knowledge:toggle", args=[entry.pk]))
    client.post(reverse("knowledge:auto_answer", args=[shop.code]))
    entry.refresh_from_db()
    assert not entry.is_active
    assert AutoAnswerSetting.objects.get(shop=shop).enabled


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_list_runs_a_fixed_number_of_queries(
    login, shop, staff, now, count, django_assert_num_queries
):
    for i in range(count):
        _entry(shop, f"K{i:03}", now)
    client = login(staff[Role.PRE_SALE])
    client.get(reverse("knowledge:list"))  # session and role caches warm
    with django_assert_num_queries(7):
        response = client.get(reverse("knowledge:list"))
    assert response.content.decode().count("<code>K") == count


@pytest.mark.django_db
def test_export_quotes_formula_cells_in_csv_and_xlsx(login, shop, staff, now):
    _entry(shop, "K1", now, question='=HYPERLINK("http://x")', answer="+1 满 99 元包邮。")
    client = login(staff[Role.PRE_SALE])
    body = client.get(reverse("knowledge:export", args=[shop.code])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["编号", "问题", "相似问法", "答案", "适用商品", "分类"]
    assert rows[1][1].startswith("'=") and rows[1][3].startswith("'+")
    xlsx = client.get(reverse("knowledge:export", args=[shop.code]) + "?format=xlsx").content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet["B2"].value.startswith("'=")
    assert sheet["B2"].data_type == "s"


@pytest.mark.django_db
def test_upload_with_a_bad_row_names_it_and_writes_nothing(login, shop, staff):
    client = login(staff[Role.SUPERVISOR])
    bad = "编号,问题,相似问法,答案,适用商品,分类\nA1,包邮吗,,满 99 元包邮。,,\nA2,,,答案,,\n"
    response = client.post(
        reverse("knowledge:import"),
        {"shop": shop.code, "file": SimpleUploadedFile("kb.csv", bad.encode("gb18030"))},
    )
    assert response.status_code == 400
    assert "第 3 行" in response.content.decode()
    assert not KnowledgeEntry.objects.exists()
    good = KB.read_bytes()
    response = client.post(
        reverse("knowledge:import"),
        {"shop": shop.code, "file": SimpleUploadedFile("kb.csv", good)},
    )
    assert response.status_code == 302
    assert KnowledgeEntry.objects.filter(shop=shop).count() == 30


@pytest.mark.django_db
def test_chat_partials_suggest_for_the_buyer_message_and_show_the_products_entries(
    login, shop, staff, now
):
    knowledge_import(actor=None, shop=shop, path=KB, now=now)
    conversation = make_conversation(shop, now=now, messages=0)
    conversation.messages.create(
        sender="buyer", text="大衣能水洗吗", channel=conversation.channel, sent_at=now
    )
    make_order(shop, buyer=conversation.buyer, item_title="双面羊绒大衣 中长款 驼色")
    client = login(staff[Role.PRE_SALE])
    suggestions = client.get(reverse("knowledge:suggestions", args=[conversation.pk]))
    assert "专业干洗" in suggestions.content.decode()
    side = client.get(reverse("knowledge:entries", args=[conversation.pk])).content.decode()
    assert "羊绒大衣怎么保养" in side
