from scripts_lib.models import ReplyScript
from scripts_lib.services import ScriptData, script_create

from ..factories import at

_NOW = at(2026, 11, 1, 9, 0)


def make_script(
    team,
    shop=None,
    *,
    code="hy",
    category="greeting",
    title="欢迎",
    body="您好，{buyer_nick}",
    **extra,
) -> ReplyScript:
    """A script saved by the system (no actor), version 1."""
    data = ScriptData(category=category, title=title, code=code, body=body, **extra)
    return script_create(actor=None, team=team, shop=shop, data=data, now=_NOW)
