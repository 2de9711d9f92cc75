import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from knowledge.models import KnowledgeEntry
from knowledge.sources import forget_engines

EVAL = Path(__file__).parent / "eval"
HEADER = "编号,问题,相似问法,答案,适用商品,分类\n"


@pytest.fixture(autouse=True)
def _fresh_engines():
    forget_engines()
    yield
    forget_engines()


def _run(capsys, *args):
    call_command(*args)
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def _write(tmp_path, text, name="kb.csv"):
    path = tmp_path / name
    path.write_text(HEADER + text, encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_import_creates_then_reports_unchanged_then_updates_by_key(shop, tmp_path, capsys):
    report = _run(capsys, "import_knowledge", str(EVAL / "kb.csv"), "--shop", shop.code, "--json")
    assert report == {"created": 30, "updated": 0, "unchanged": 0, "errors": []}
    again = _run(capsys, "import_knowledge", str(EVAL / "kb.csv"), "--shop", shop.code, "--json")
    assert again == {"created": 0, "updated": 0, "unchanged": 30, "errors": []}
    path = _write(
        tmp_path,
        "K07,会起球吗,起球吗、掉毛吗,亲，面料做过抗起球处理。,宽松圆领针织开衫|YS-KN-203-F,面料\n",
    )
    changed = _run(capsys, "import_knowledge", path, "--shop", shop.code, "--json")
    assert changed == {"created": 0, "updated": 1, "unchanged": 0, "errors": []}
    entry = KnowledgeEntry.objects.get(shop=shop, key="K07")
    assert entry.phrasings == ["起球吗", "掉毛吗"]
    assert entry.products == ["宽松圆领针织开衫", "YS-KN-203-F"]


@pytest.mark.django_db
def test_import_with_a_bad_row_writes_nothing_and_names_the_lines(shop, tmp_path, capsys):
    path = _write(
        tmp_path,
        "A1,包邮吗,,满 99 元包邮。,,物流\n"
        "A2,,,没有问题的行,,\n"
        "A3,能便宜吗,,我不知道。,,\n"
        "A1,重复,,重复的编号。,,\n",
    )
    with pytest.raises(CommandError):
        call_command("import_knowledge", path, "--shop", shop.code, "--json")
    report = json.loads(capsys.readouterr().out.strip())
    assert [e["line"] for e in report["errors"]] == [3, 4, 5]
    assert report["created"] == 0
    assert not KnowledgeEntry.objects.exists()


@pytest.mark.django_db
def test_dry_run_counts_without_writing(shop, capsys):
    report = _run(
        capsys, "import_knowledge", str(EVAL / "kb.csv"), "--shop", shop.code, "--dry-run", "--json"
    )
    assert report["created"] == 30
    assert not KnowledgeEntry.objects.exists()


@pytest.mark.django_db
def test_suggest_replies_answers_in_buyers_words_and_refuses_own_parcel(shop, capsys):
    call_command("import_knowledge", str(EVAL / "kb.csv"), "--shop", shop.code)
    capsys.readouterr()
    out = _run(
        capsys, "suggest_replies", "--shop", shop.code, "--text", "穿久了会起毛球吗", "--json"
    )
    first = out["suggestions"][0]
    assert (first["source"], first["key"], first["confident"]) == ("knowledge", "K07", True)
    assert isinstance(out["ms"], float)
    parcel = _run(
        capsys, "suggest_replies", "--shop", shop.code, "--text", "我的快递到哪了", "--json"
    )
    assert not any(s["confident"] for s in parcel["suggestions"])


@pytest.mark.django_db
def test_entry_for_another_product_is_not_suggested_for_this_item(shop, tmp_path, capsys):
    path = _write(tmp_path, "C1,大衣怎么保养,,建议专业干洗。,双面羊绒大衣,洗护\n")
    call_command("import_knowledge", path, "--shop", shop.code)
    capsys.readouterr()
    coat = _run(
        capsys,
        "suggest_replies",
        "--shop",
        shop.code,
        "--text",
        "大衣怎么保养",
        "--item",
        "双面羊绒大衣 中长款",
        "--json",
    )
    assert [s["key"] for s in coat["suggestions"]] == ["C1"]
    tee = _run(
        capsys,
        "suggest_replies",
        "--shop",
        shop.code,
        "--text",
        "大衣怎么保养",
        "--item",
        "纯棉短袖T恤",
        "--json",
    )
    assert tee["suggestions"] == []
