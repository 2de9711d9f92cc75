"""What each etiquette rule says, in the reader's language.

Findings are kept (on messages, review drafts, QA prefills) as a rule code and the few
words the message quotes (``params``), and read through ``finding_message`` in the language
of whoever reads them: advice saved while one agent worked in Chinese reads in English for
a colleague who chose English. Rows saved before ``params`` existed carry only their
Chinese ``message``, which is shown as it was written. Suggestions stay as written: they
are words for the buyer, who reads Chinese.
"""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "bare_particle": _("只回语气词"),
    "one_word_reply": _("只回一个词"),
    "dont_know": _("说不知道"),
    "negative_word": _("否定词"),
    "refusal_without_apology": _("拒绝未致歉"),
    "absolute_promise": _("绝对承诺"),
    "cash_rebate": _("返现换好评"),
    "off_platform": _("引导站外联系"),
    "transfer_address": _("透露中转仓地址"),
    "insult": _("辱骂买家"),
    "data_leak": _("泄露买家信息"),
    "informal_you": _("称呼用“你”"),
    "duplicate_review_reply": _("评价回复雷同"),
}

MESSAGES = {
    "bare_particle": _(
        "不要只回“哦/嗯”，买家会觉得被敷衍；请完整回答，例如“好的，亲，已经帮您记下了”。"
    ),
    "one_word_reply": _(
        "不要只回一个词“%(word)s”，买家会觉得被冷落；请把话说完整，例如“%(suggestion)s”"
    ),
    "dont_know": _(
        "不要说“不知道/不清楚”或让买家自己选；请说“您稍等，我帮您确认一下”，查明后再答复。"
    ),
    "negative_word": _("避免用带“不”的否定词“%(word)s”，请改说%(instead)s，语气更委婉。"),
    "refusal_without_apology": _(
        "无法满足买家时，第一句先说“非常抱歉”，再说明原因和能提供的替代办法。"
    ),
    "absolute_promise": _("不要做“%(word)s”这样的绝对承诺，请改说“尽量/努力/争取”。"),
    "cash_rebate": _(
        "不能用返现或红包换评价（平台禁止）；请改说“感谢您的支持，期待您的好评”，最多送店铺优惠券。"
    ),
    "off_platform": _(
        "请留在旺旺/平台聊天里沟通，不要引导买家加微信、QQ或打电话；电话里谈妥的事也要在聊天里确认。"
    ),
    "transfer_address": _("不能把中转仓/转运仓的地址告诉买家；退换货请让买家按平台退货地址寄回。"),
    "insult": _(
        "不能辱骂或讽刺买家，也不能说脏话；请先安抚情绪：“非常理解您的心情，我来帮您处理”。"
    ),
    "data_leak": _(
        "不能透露其他买家或订单的信息（泄露客户信息扣6分）；只引用本单的信息，号码请打码，如 138****5678。"
    ),
    "informal_you": _("称呼买家请用“您”，不要用“你”（“你好”也请写成“您好”）。"),
    "duplicate_review_reply": _(
        "与本店近期另一条评价回复几乎相同（相似度 %(score)s）；请针对这条评价的内容写回复，不要千篇一律。"
    ),
}


def rule_message(rule: str, params: dict) -> str:
    """The rule's advice in the active language, with the quoted words filled in."""
    return str(MESSAGES[rule]) % params if params else str(MESSAGES[rule])


def rule_label(rule: str) -> str:
    """The rule's short name in the active language (the code itself for an unknown rule)."""
    return str(LABELS.get(rule, rule))


def finding_message(finding) -> str:
    """A stored finding (dict) or a live one (``Finding``) as the reader should see it."""
    if not isinstance(finding, dict):
        return finding.message
    if "params" in finding and finding.get("rule") in MESSAGES:
        return rule_message(finding["rule"], finding["params"])
    return finding.get("message", "")
