"""Every text the product can put before a buyer, gathered for the etiquette checker.

Shipped texts: the default script library, the problem-order scripts, and whatever the
apps above scripts_lib register with ``register_shipped_texts`` in their ``ready()`` (the
complaint steps, the sentences the scheduled jobs add, the system's own notices): this
module sits below them and does not import them. Stored texts: the scripts library rows (team-wide and shops' own, edited by
supervisors). ``check_scripts`` (the management command) reports what fails the checker;
a text is checked as written and with its placeholders filled with sample values, so a
rendered value cannot hide a finding nor a placeholder cause one.
"""

from collections.abc import Callable, Iterable, Iterator
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


_shipped_sources: list[Callable[[], Iterable[BuyerText]]] = []


def register_shipped_texts(source: Callable[[], Iterable[BuyerText]]) -> None:
    """Add an app's own buyer texts to those ``shipped_texts`` checks."""
    if source not in _shipped_sources:
        _shipped_sources.append(source)


def shipped_texts() -> Iterator[BuyerText]:
    """The texts the product ships, whatever the database holds."""
    from orders.problem_scripts import SCRIPTS

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
    for source in _shipped_sources:
        yield from source()


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
