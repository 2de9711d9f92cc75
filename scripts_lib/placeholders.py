"""The placeholders a script body may use.

Syntax: a placeholder is its ASCII name in ASCII braces, ``{buyer_nick}``. Chinese text uses
full-width punctuation, so ASCII braces never occur in ordinary prose and need no escaping;
full-width braces (``｛buyer_nick｝``) are refused on save so a typo cannot reach a buyer.
Any other ``{...}`` in a body is an unknown placeholder and is refused on save as well.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Placeholder:
    name: str
    label: str
    fallback: str
    """What renders when the value is missing, so a reply never shows a hole or a brace."""


PLACEHOLDERS: dict[str, Placeholder] = {
    p.name: p
    for p in (
        Placeholder("buyer_nick", _("买家昵称"), "亲"),
        Placeholder("work_number", _("客服工号"), ""),
        Placeholder("order_id", _("订单编号"), ""),
        Placeholder("order_amount", _("订单金额"), ""),
        Placeholder("courier", _("快递公司"), "快递"),
        Placeholder("tracking_number", _("物流单号"), ""),
        Placeholder("cutoff_time", _("快递截单时间"), "17:00"),
        Placeholder("shop_name", _("店铺名称"), "本店"),
    )
}

PLACEHOLDER_NAMES: tuple[str, ...] = tuple(PLACEHOLDERS)

# Anything in ASCII braces counts as a placeholder attempt; names are checked afterwards.
PLACEHOLDER_RE = re.compile(r"\{([^{}\n]{0,40})\}")
_FULL_WIDTH_RE = re.compile(r"[｛｝]")


def placeholders_in(body: str) -> list[str]:
    """The placeholder names used in ``body``, in order, without repeats."""
    return list(dict.fromkeys(m.group(1).strip() for m in PLACEHOLDER_RE.finditer(body)))


def body_errors(body: str) -> list[str]:
    """Messages for a person about every placeholder problem in ``body`` (empty when fine)."""
    errors = []
    unknown = [name for name in placeholders_in(body) if name not in PLACEHOLDERS]
    if unknown:
        errors.append(
            _("未知的占位符：%(unknown)s。可用的占位符：%(known)s。")
            % {
                "unknown": "、".join(f"{{{name}}}" for name in unknown),
                "known": "、".join(f"{{{p.name}}}（{p.label}）" for p in PLACEHOLDERS.values()),
            }
        )
    stray = PLACEHOLDER_RE.sub("", body)
    if _FULL_WIDTH_RE.search(stray) or "{" in stray or "}" in stray:
        errors.append(
            _("占位符请使用英文半角花括号，例如 {buyer_nick}；正文中不能有多余的花括号。")
        )
    return errors
