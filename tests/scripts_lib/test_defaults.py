import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import Team
from scripts_lib.defaults import DEFAULT_SCRIPTS
from scripts_lib.etiquette import check
from scripts_lib.models import ReplyScript, ScriptCategory
from scripts_lib.placeholders import body_errors
from scripts_lib.rendering import render_script
from scripts_lib.selectors import script_for

from ..factories import make_shop

# The domain's source texts sit beside the repository (../shared/seeds) where they exist.
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
COPY_WINDOW = 15
_CJK = re.compile(r"[\u4e00-\u9fff]+")


def _cjk_only(text: str) -> str:
    return "".join(_CJK.findall(text))


def test_default_library_covers_every_category_with_at_least_forty_scripts():
    assert len(DEFAULT_SCRIPTS) >= 40
    assert {row[0] for row in DEFAULT_SCRIPTS} == set(ScriptCategory.values)
    codes = [row[1] for row in DEFAULT_SCRIPTS]
    assert len(codes) == len(set(codes))
    assert all(body_errors(body) == [] for *_rest, body in DEFAULT_SCRIPTS)


def test_payment_reminder_says_pay_before_the_cut_off_and_it_leaves_today():
    [body] = [body for cat, code, _t, body in DEFAULT_SCRIPTS if code == "cf"]
    reminders = [row for row in DEFAULT_SCRIPTS if row[0] == "payment_reminder"]
    assert ("payment_reminder", "cf") in {row[:2] for row in reminders}
    assert "{cutoff_time}" in body and "今天" in body


def test_default_scripts_pass_the_etiquette_checker_rendered_or_not():
    context = {"buyer_nick": "小鹿", "work_number": "1001", "order_amount": "199.00"}
    for _cat, code, title, body in DEFAULT_SCRIPTS:
        for text in (title, body, render_script(body, context=context)):
            assert check(text) == [], (code, text, check(text))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="source texts not on this machine")
def test_default_scripts_copy_no_fifteen_characters_from_the_source_texts():
    seeds = "".join(_cjk_only(p.read_text(errors="ignore")) for p in sorted(SEEDS.iterdir()))
    windows = {seeds[i : i + COPY_WINDOW] for i in range(len(seeds) - COPY_WINDOW + 1)}
    from scripts_lib.demo import TEA_SHOP_SCRIPTS

    for _cat, code, _title, body in DEFAULT_SCRIPTS + TEA_SHOP_SCRIPTS:
        text = _cjk_only(body)
        copied = [
            text[i : i + COPY_WINDOW]
            for i in range(len(text) - COPY_WINDOW + 1)
            if text[i : i + COPY_WINDOW] in windows
        ]
        assert not copied, (code, copied)


@pytest.mark.django_db
def test_load_default_scripts_command_is_idempotent_and_serves_a_new_shop(capsys):
    call_command("load_default_scripts", "--team", "新团队")
    call_command("load_default_scripts", "--team", "新团队")
    team = Team.objects.get(name="新团队")
    assert ReplyScript.objects.filter(team=team).count() == len(DEFAULT_SCRIPTS)
    assert "Added 0 default scripts" in capsys.readouterr().out
    new_shop = make_shop(team)
    reminder = script_for(shop=new_shop, category="payment_reminder")
    assert reminder is not None and reminder.code == "cf"


def test_check_reply_command_prints_findings_as_text_and_json(capsys):
    call_command("check_reply", "你好，这个不能便宜")
    out = capsys.readouterr().out
    assert "informal_you" in out and "negative_word" in out and "无法再低了" in out
    call_command("check_reply", "加我微信", "--json")
    [finding] = json.loads(capsys.readouterr().out)
    assert finding == {
        "rule": "off_platform",
        "start": 0,
        "end": 4,
        "message": finding["message"],
        "suggestion": None,
    }
    call_command("check_reply", "您好，请问有什么可以帮您？")
    assert "no findings" in capsys.readouterr().out


@pytest.mark.django_db
def test_migration_moves_old_signed_for_follow_ups_out_of_the_in_transit_category():
    import importlib

    from django.apps import apps

    from .factories import make_script

    migration = importlib.import_module("scripts_lib.migrations.0003_move_receipt_scripts")
    team = Team.objects.create(name="老团队")
    old_body = migration.MOVES["hf"][0]
    old = make_script(team, code="hf", category="delivery_followup", body=old_body)
    edited = make_script(team, code="hfxh", category="delivery_followup", body="您好，我们自己改过")
    migration.move(apps, None)
    old.refresh_from_db()
    edited.refresh_from_db()
    assert (old.category, old.version) == ("receipt_followup", 2)
    assert "签收啦" not in old.body and old.versions.count() == 2
    assert edited.category == "delivery_followup"
