"""``check_scripts``: every text that can reach a buyer passes the etiquette checker."""

import json

import pytest
from django.core.management import call_command

from tests.scripts_lib.factories import make_script

from ..factories import make_shop


def run(capsys, *args):
    with pytest.raises(SystemExit) as exit_info:
        call_command("check_scripts", "--json", *args)
        raise SystemExit(0)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    return exit_info.value.code, json.loads(lines[0])


@pytest.mark.django_db
def test_shipped_texts_and_default_library_have_no_findings(capsys):
    code, report = run(capsys)
    assert code == 0
    assert report["findings"] == [] and report["checked"] >= 60


@pytest.mark.django_db
def test_a_stored_script_that_fails_is_reported_with_exit_1(capsys):
    shop = make_shop()
    make_script(shop.team, shop, code="bad", category="greeting", title="在", body="在")
    code, report = run(capsys, "--shop", shop.code)
    assert code == 1
    assert report == {
        "checked": 1,
        "findings": [{"source": "scripts", "key": f"{shop.code}/bad", "rules": ["one_word_reply"]}],
    }


def test_problem_and_complaint_scripts_pass_the_checker():
    from scripts_lib.buyer_texts import script_findings, shipped_texts

    checked, findings = script_findings(shipped_texts())
    assert checked > 50 and findings == []


def test_shipped_texts_include_those_the_apps_above_register():
    from scripts_lib.buyer_texts import shipped_texts

    sources = {text.source for text in shipped_texts()}
    assert {"defaults", "problem_scripts", "complaint", "outreach", "system"} <= sources
