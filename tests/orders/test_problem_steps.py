"""The problem pane's 处理记录 reads as words in every language, never as stored codes."""

import re

import pytest

from accounts.roles import Role
from orders.models import ProblemCategory, ProblemState
from orders.problem_steps import STEP_LABELS
from tests.factories import make_user

from .factories import make_problem

pytestmark = pytest.mark.django_db

CODES = {
    "address_updated",
    "courier_request",
    "stock_offer",
    "stock_choice",
    "script_sent",
    "redirect",
    "withdraw",
    "similar",
    "refund",
    "wait",
    "ask_detail",
    "three_options",
    "later_step",
}


def _steps(now):
    at = now.isoformat()
    return [
        {"step": "address_updated", "address": "浙江省 杭州市 滨江区 江南大道 1 号", "at": at},
        {"step": "courier_request", "request": 1, "kind": "redirect"},
        {"step": "courier_request", "request": 2, "kind": "withdraw"},
        {"step": "stock_offer", "similar": ""},
        {"step": "stock_choice", "choice": "similar"},
        {"step": "stock_choice", "choice": "refund"},
        {"step": "stock_choice", "choice": "wait"},
        {"step": "script_sent", "script": "three_options", "at": at},
        {"step": "later_step", "what": "x"},
    ]


def _history(body: str) -> str:
    match = re.search(r'data-testid="problem-steps">(.*?)</ul>', body, re.S)
    assert match, "the pane shows no 处理记录"
    return match.group(1)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "zh-hans",
            [
                "已向快递申请：改签（改派地址）",
                "撤件（拦截退回）",
                "买家选择：换相似款",
                "已向买家发送话术：缺货·三个方案",
            ],
        ),
        ("en", ["Courier request filed: Redirect (new delivery address)", "Awaiting stock"]),
    ],
)
@pytest.mark.parametrize("state", [ProblemState.CONTACTING, ProblemState.RESOLVED])
def test_every_step_of_the_problem_history_reads_as_words(login, shop, now, language, words, state):
    problem = make_problem(
        shop, now, category=ProblemCategory.OUT_OF_STOCK, state=state, detail={"steps": _steps(now)}
    )
    agent = make_user(shop, Role.IN_SALE, language=language)
    body = login(agent).get(f"/orders/problems/?selected={problem.pk}").content.decode()
    history = _history(body)
    shown = set(re.findall(r"[a-z]+(?:_[a-z]+)+|\b[a-z]+\b", re.sub(r"<[^>]+>", " ", history)))
    assert not (shown & CODES), f"codes on the page: {shown & CODES}"
    assert history.count("<li>") == len(_steps(now))
    for text in words:
        assert text in history


def test_every_recorded_step_has_a_label():
    recorded = {"address_updated", "courier_request", "stock_offer", "stock_choice", "script_sent"}
    assert recorded <= set(STEP_LABELS)


def test_a_refused_step_names_the_step_in_words(shop, staff, now):
    from orders.errors import ProblemConflict
    from orders.services import transition

    problem = make_problem(shop, now, state=ProblemState.WAITING_BUYER)
    with pytest.raises(ProblemConflict) as refused:
        transition(actor=staff[Role.IN_SALE], problem=problem, action="wait_buyer", now=now)
    assert "等待买家答复" in str(refused.value) and "wait_buyer" not in str(refused.value)


def test_options_offered_once_then_the_pane_asks_only_for_the_buyers_choice(login, shop, now):
    agent = make_user(shop, Role.IN_SALE)
    client = login(agent)
    states = {ProblemState.OPEN: True, ProblemState.WAITING_BUYER: False}
    for state, offers in states.items():
        problem = make_problem(shop, now, category=ProblemCategory.OUT_OF_STOCK, state=state)
        pane = client.get(f"/orders/problems/?selected={problem.pk}").content.decode()
        assert (f"/orders/problems/{problem.pk}/stock-offer/" in pane) is offers
        assert f"/orders/problems/{problem.pk}/stock-choice/" in pane


def test_the_english_pane_uses_english_punctuation_after_its_labels(login, shop, now):
    agent = make_user(shop, Role.IN_SALE, language="en")
    problem = make_problem(
        shop, now, state=ProblemState.RESOLVED, assignee=agent, resolution="Shipped as is"
    )
    body = login(agent).get(f"/orders/problems/?selected={problem.pk}").content.decode()
    assert "Assignee: " in body and "Outcome: " in body and "Filters: " in body
    assert "Assignee：" not in body and "Outcome：" not in body
