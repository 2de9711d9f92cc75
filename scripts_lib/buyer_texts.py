"""Every text the product can put before a buyer, gathered for the etiquette checker.

Shipped texts: the default script library, the problem-order scripts, the complaint steps,
the sentences the scheduled jobs add (payment reminders' dispatch line) and the system's
own notices. Stored texts: the scripts library rows (team-wide and shops' own, edited by
supervisors). ``check_scripts`` (the management command) reports what fails the checker;
a text is checked as written and with its placeholders filled with sample values, so a
rendered value cannot hide a finding nor a placeholder cause one.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from types import SimpleNamespace

from django.db.models import Q

from .etiquette import check_reply
from .models import ReplyScript
from .rendering import render_script

SAMPLE_CONTEXT = {
    "buyer_nick": "小鹿",
    "work_number": "1001",
    "order_id": "3588120045671234567",
    "order_amount": "199.00",
    "courier": "中通快递",
    "tracking_number": "YT1234567890",
    "cutoff_time": "17:00",
    "shop_name": "示例小店",
}
# The sample's own order: its id and tracking number are the buyer's own, not a leak.
SAMPLE_ORDER = SimpleNamespace(
    order_id=SAMPLE_CONTEXT["order_id"],
    mobile="",
    phone="",
    tracking_number=SAMPLE_CONTEXT["tracking_number"],
    receiver_name="",
)
PROBLEM_SAMPLE = {
    "nick": "小鹿",
    "order_id": "3588120045671234567",
    "item": "棉麻衬衫",
    "address": "浙江省 杭州市 西湖区 文三路 100号",
    "work_number": "1001",
    "courier": "中通快递",
}


@dataclass(frozen=True)
class BuyerText:
    source: str
    key: str
    texts: tuple[str, ...]


@dataclass(frozen=True)
class ScriptFinding:
    source: str
    key: str
    rules: list[str]

    def as_dict(self) -> dict:
        return {"source": self.source, "key": self.key, "rules": self.rules}


def _script_texts(title: str, body: str) -> tuple[str, ...]:
    return (title, body, render_script(body, context=SAMPLE_CONTEXT))


def shipped_texts() -> Iterator[BuyerText]:
    """The texts the product ships, whatever the database holds."""
    from orders.problem_scripts import SCRIPTS
    from orders.services.buyers import stock_notice_text
    from outreach.texts import DISPATCH_TODAY, DISPATCH_TOMORROW
    from tickets.complaint import STEPS

    from .defaults import DEFAULT_SCRIPTS
    from .demo import TEA_SHOP_SCRIPTS

    for _category, code, title, body in DEFAULT_SCRIPTS:
        yield BuyerText("defaults", code, _script_texts(title, body))
    for _category, code, title, body in TEA_SHOP_SCRIPTS:
        yield BuyerText("demo_scripts", code, _script_texts(title, body))
    for category, scripts in SCRIPTS.items():
        for script in scripts:
            text = str(script.text)
            yield BuyerText(
                "problem_scripts", f"{category}.{script.key}", (text, text.format(**PROBLEM_SAMPLE))
            )
    for step in STEPS:
        yield BuyerText("complaint", step.code, (str(step.script),))
    for key, sentence in (
        ("dispatch_today", DISPATCH_TODAY),
        ("dispatch_tomorrow", DISPATCH_TOMORROW),
    ):
        yield BuyerText("outreach", key, (sentence.format(cutoff="17:00"),))
    wish = SimpleNamespace(buyer=SimpleNamespace(nick="小鹿"), sku="棉麻衬衫 白色 M")
    yield BuyerText("system", "stock_notice", (stock_notice_text(wish),))


def stored_scripts(shop=None):
    """Script library rows: all, or those ``shop`` works with (its own and its team's)."""
    scripts = ReplyScript.objects.select_related("shop", "team").order_by(
        "team_id", "shop_id", "pk"
    )
    if shop is not None:
        scripts = scripts.filter(Q(shop=shop) | Q(shop__isnull=True, team_id=shop.team_id))
    return scripts


def stored_texts(shop=None) -> Iterator[BuyerText]:
    for script in stored_scripts(shop).iterator():
        scope = script.shop.code if script.shop_id else f"team:{script.team.name}"
        yield BuyerText(
            "scripts", f"{scope}/{script.code}", _script_texts(script.title, script.body)
        )


def script_findings(texts) -> tuple[int, list[ScriptFinding]]:
    """(how many texts were checked, a finding per text that fails the checker)."""
    checked, findings = 0, []
    for item in texts:
        checked += 1
        rules = sorted(
            {f.rule for text in item.texts for f in check_reply(text, order=SAMPLE_ORDER)}
        )
        if rules:
            findings.append(ScriptFinding(item.source, item.key, rules))
    return checked, findings


def check_all(shop=None) -> tuple[int, list[ScriptFinding]]:
    """Shipped texts (only without ``shop``) and stored scripts, checked."""
    shipped = shipped_texts() if shop is None else iter(())
    return script_findings(chain(shipped, stored_texts(shop)))


def text_findings(title: str, body: str) -> list[dict]:
    """A script's findings as written and rendered with sample values, for the edit form:
    (rule, the offending excerpt, the message), once per rule and excerpt."""
    seen, findings = set(), []
    for text in _script_texts(title, body):
        for finding in check_reply(text, order=SAMPLE_ORDER):
            excerpt = text[finding.start : finding.end]
            if (finding.rule, excerpt) not in seen:
                seen.add((finding.rule, excerpt))
                findings.append(
                    {"rule": finding.rule, "excerpt": excerpt, "message": finding.message}
                )
    return findings
