"""The phrase rules of the etiquette checker (客服禁忌), one function per rule code.

Each rule is ``rule(text, masked, context) -> Iterable[Finding]``: ``masked`` is the text
with polite 不-phrases blanked (see ``text.masked``), ``context`` the keyword arguments of
``check``. Where each rule comes from: docs/etiquette.md.
"""

import re

from .findings import Finding
from .text import BOUNDARY as _BOUNDARY
from .text import clause_before as _clause_before
from .text import sentence_after as _sentence_after

# bare_particle -------------------------------------------------------------------------

_BARE_RE = re.compile(r"\s*[哦噢恩嗯喔]+[\s~～。.!！?？…,，、]*")


def pattern_rule(code: str, pattern: re.Pattern, suggestion: str | None):
    """A rule that flags every match of ``pattern`` with the same advice (``messages``)."""

    def rule(text, masked, context):
        for m in pattern.finditer(text):
            yield Finding(code, m.start(), m.end(), suggestion)

    rule.__name__ = code
    return rule


def bare_particle(text, masked, context):
    if text.strip() and _BARE_RE.fullmatch(text):
        yield Finding(
            "bare_particle",
            0,
            len(text),
            "好的，亲，已经帮您记下了",
        )


# dont_know ------------------------------------------------------------------------------

_DONT_KNOW_CORE_RE = re.compile(r"不太?(?:知道|清楚|了解|懂)|不晓得|搞不清楚?")
_DONT_KNOW_FIXED_RE = re.compile(
    r"找不到人问|没人可以问|没有人可以问|不归我管|不是我负责|别问我|自己(?:看着)?(?:选|挑|决定|看)吧"
)
_DONT_KNOW_RE = re.compile(f"{_DONT_KNOW_CORE_RE.pattern}|{_DONT_KNOW_FIXED_RE.pattern}")
_DONT_KNOW_LEAD_RE = re.compile(r"(?:我们|我|这边|客服)(?:也|还|真的|真|都|实在)?$")
_DONT_KNOW_ADVERB_RE = re.compile(r"(?:也|还|真的|真|都|实在)$")
_DONT_KNOW_OK_BEFORE = set("亲哦噢啊呀嗯")
_DONT_KNOW_INQUIRY = re.compile(r"(?:您|你|亲|是否|有没有|方不方便|需不需要|喜不喜欢|要不要|哪)")
_DONT_KNOW_OFFER = re.compile(r"(?:的地方|的话|之处|的问题)")


def _dont_know_span(text: str, match) -> tuple[int, int] | None:
    """The span to report for a candidate, or None when it is not the agent's ignorance."""
    start, end = match.span()
    if _DONT_KNOW_FIXED_RE.fullmatch(match.group(0)):
        if start and text[start - 1] in "您你":
            start -= 1
        return start, end
    if _DONT_KNOW_OFFER.match(text, end):
        return None  # 有不清楚的地方随时问我: an offer of help
    if match.group(0).endswith("知道") and _DONT_KNOW_INQUIRY.match(text, end):
        return None  # 不知道您需要哪个尺码呢: a polite question
    head = text[max(0, start - 6) : start]
    lead = _DONT_KNOW_LEAD_RE.search(head)
    if lead:
        return start - (len(head) - lead.start()), end
    adverb = _DONT_KNOW_ADVERB_RE.search(head)
    if adverb:
        start -= len(adverb.group(0))
    before = text[start - 1] if start else ""
    if before and before not in _BOUNDARY and before not in _DONT_KNOW_OK_BEFORE:
        return None  # 图片不清楚, 看不清楚, 怕您不太懂: not about the agent
    return start, end


def dont_know(text, masked, context):
    for m in _DONT_KNOW_RE.finditer(text):
        span = _dont_know_span(text, m)
        if span is None:
            continue
        yield Finding(
            "dont_know",
            *span,
            "您稍等，我帮您确认一下",
        )


# negative_word --------------------------------------------------------------------------

# (pattern, suggestion or None, what to write instead) — longest patterns first.
_NEGATIVE_WORDS = (
    (r"不(?:能|可以)再?(?:便宜|少|优惠|打折|降价|让价|低)了?|便宜不了", "无法再低了", None),
    (r"到不了|送不到|寄不到|发不到|去不了", "无法到达", None),
    (r"不议价|不还价|不讲价", "价格已经是最优惠的了", None),
    (r"不包邮", "无法包邮", None),
    (r"不退不换|不退|不换", "无法退换", None),
    (r"不支持", "暂时无法支持", None),
    (r"不发货", "暂时无法发货", None),
    (r"不接受", "无法接受", None),
    (r"不允许", "无法", None),
    (r"不提供", "暂时无法提供", None),
    (r"不处理", "暂时无法处理", None),
    (r"不同意", "无法同意", None),
    (r"不打折", "暂时没有折扣", None),
    (r"不可能", "很难", None),
    (r"做不到|办不到|做不了|办不了|改不了|退不了|换不了", "无法办到", None),
    (r"查不到", "暂时还没有查询到", None),
    (r"不想(?:发|退|换|卖|给|处理|管)", None, "“非常抱歉，暂时无法……”"),
    (r"不可以", "无法", None),
    (r"不能", "无法", None),
    (r"不行", None, "“非常抱歉，无法帮到您”"),
)
_NEGATIVE_RE = re.compile("|".join(p for p, _s, _h in _NEGATIVE_WORDS))
_NEGATIVE_KINDS = [(re.compile(p), s, h) for p, s, h in _NEGATIVE_WORDS]


def _kind(kinds, word: str):
    """Which entry of a rule's table produced ``word`` (the combined pattern has no groups:
    Python's re scans a group-free alternation of literals several times faster)."""
    for pattern, *rest in kinds:
        if pattern.fullmatch(word):
            return rest
    raise ValueError(word)


def negative_word(text, masked, context):
    for m in _NEGATIVE_RE.finditer(masked):
        word = m.group(0)
        suggestion, hint = _kind(_NEGATIVE_KINDS, word)
        instead = hint or f"“{suggestion}”"
        yield Finding(
            "negative_word",
            m.start(),
            m.end(),
            suggestion,
            {"word": word, "instead": instead},
        )


# refusal_without_apology ----------------------------------------------------------------

_REFUSAL_RE = re.compile(
    r"无法|不能|不行|没办法|没有办法|没法|做不到|办不到|不可以|不支持|不包邮|不退|不换|爱莫能助|恕不|恕难"
)
_SOFTER = {
    "不能": "无法",
    "不行": "无法办到",
    "不可以": "无法",
    "不支持": "暂时无法支持",
    "不包邮": "无法包邮",
    "不退": "无法退",
    "不换": "无法换",
    "做不到": "无法做到",
    "办不到": "无法办到",
    "恕不": "无法",
    "恕难": "无法",
    "没法": "无法",
}
_APOLOGY_RE = re.compile(r"抱歉|对不起|不好意思|很遗憾|见谅")
_HYPOTHETICAL_RE = re.compile(r"如果|要是|万一|若|假如|担心|怕")
_BUYER_SUBJECT_RE = re.compile(r"(?:您|你)[^的]{0,3}$")


def refusal_without_apology(text, masked, context):
    for m in _REFUSAL_RE.finditer(masked):
        clause = _clause_before(text, m.start())
        sentence_end = _sentence_after(text, m.end())
        if (
            _BUYER_SUBJECT_RE.search(clause)
            or _HYPOTHETICAL_RE.search(clause)
            or sentence_end.rstrip().endswith(("吗", "？", "?"))
        ):
            continue
        if _APOLOGY_RE.search(text, 0, m.start()):
            return
        yield Finding(
            "refusal_without_apology",
            m.start(),
            m.end(),
            "非常抱歉，" + _SOFTER.get(m.group(0), m.group(0)),
        )
        return


# absolute_promise -----------------------------------------------------------------------

_ABSOLUTE = (
    (r"百分之百|百分百|100%|１００％", "尽量"),
    (r"保证(?!金)", "尽量"),
    (r"肯定", "争取"),
    (r"绝对", "尽量"),
    (r"一定(?:会|能|可以)", "会尽量"),
    (r"包您满意|包满意|打包票|万无一失", "尽量让您满意"),
)
_ABSOLUTE_RE = re.compile("|".join(p for p, _s in _ABSOLUTE))
_ABSOLUTE_KINDS = [(re.compile(p), s) for p, s in _ABSOLUTE]
_RECOGNITION_BEFORE = set("的到得获和与及")
_RECOGNITION_AFTER = set("和与及")
_THANKS_BEFORE = re.compile(r"(?:感谢|谢谢|多谢)[^，。！？]{0,6}$")


def absolute_promise(text, masked, context):
    for m in _ABSOLUTE_RE.finditer(text):
        [suggestion] = _kind(_ABSOLUTE_KINDS, m.group(0))
        if m.group(0) == "肯定" and (
            text[m.start() - 1 : m.start()] in _RECOGNITION_BEFORE
            or text[m.end() : m.end() + 1] in _RECOGNITION_AFTER
            or _THANKS_BEFORE.search(text, 0, m.start())
        ):
            continue  # 感谢您的肯定, 得到肯定和支持: recognition, not a promise
        yield Finding(
            "absolute_promise",
            m.start(),
            m.end(),
            suggestion,
            {"word": m.group(0)},
        )


# cash_rebate ----------------------------------------------------------------------------

_NUM = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十几]+)"
_CASH_RE = re.compile(
    r"返现|返利|返钱|现金奖励"
    rf"|(?:好评|五星|5星|晒图|追评)[^。！？!?\n]{{0,15}}?返(?:您|你)?{_NUM}(?:元|块)(?:钱|现金|红包)?"
    rf"|返(?:您|你)?{_NUM}?(?:元|块)?(?:的)?(?:现金)?红包"
    rf"|(?:好评|五星|5星|晒图|追评|评价|带图)[^。！？!?\n]{{0,12}}?(?:送|给|发|转|返|补)(?:您|你)?{_NUM}(?:元|块)(?![^。！？!?\n]{{0,3}}券)(?:钱|现金|红包)?"
    r"|(?:好评|五星|5星|晒图|追评)[^。！？!?\n]{0,12}?红包"
    r"|红包[^。！？!?\n]{0,12}?(?:好评|五星|5星|晒图|追评)"
)


cash_rebate = pattern_rule(
    "cash_rebate",
    _CASH_RE,
    None,
)


# off_platform ---------------------------------------------------------------------------

_CHAT_APPS = r"(?:微信|威信|薇信|徽信|v信|vx|wx|weixin|qq|扣扣|企鹅|q)"
_OFF_PLATFORM_RE = re.compile(
    rf"(?:加|添加|加一下|加个)(?:一下)?(?:我|我的|我们|我们的|客服|客服的)?(?:私人)?{_CHAT_APPS}(?:号|好友)?"
    rf"|(?:微信|qq|扣扣|vx|wx)(?:号|联系|上聊|上说|聊)"
    r"|vx|wx|v信"
    r"|(?:微信|qq|vx|wx)(?:下单|转账|付款|支付|交易)"
    r"|私聊|私下(?:交易|联系|转账|转|沟通)|线下交易|支付宝转账|转账给我|加我好友|加好友|扫码加"
    r"|(?:打|拨打|拨)(?:我|我们|客服)的?(?:客服)?(?:热线|电话|手机)|(?:我|我的)手机号?(?:发|给)(?:您|你)|打电话给(?:我|我们)|给(?:我|我们)打电话"
    r"|(?:电话|手机)联系(?:我|我们)|(?:我|我们)的(?:电话|手机号?|联系方式)是"
)
_UPPER_RE = re.compile(r"[A-Z]+")
_BARE_APP_NAMES = {"vx", "wx", "v信"}


def _is_latin(char: str) -> bool:
    return "a" <= char <= "z"


def _lower_keeping_indexes(text: str) -> str:
    """Lower-cased text with every character at its index (str.lower may lengthen a few
    non-ASCII letters), so the pattern needs no re.IGNORECASE, which is several times slower."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return _UPPER_RE.sub(lambda m: m.group(0).lower(), text)


def off_platform(text, masked, context):
    lower = _lower_keeping_indexes(text)
    for m in _OFF_PLATFORM_RE.finditer(lower):
        if m.group(0) in _BARE_APP_NAMES and (
            _is_latin(lower[m.start() - 1 : m.start()]) or _is_latin(lower[m.end() : m.end() + 1])
        ):
            continue  # inside a longer Latin word
        yield Finding("off_platform", m.start(), m.end())


# informal_you ---------------------------------------------------------------------------

_INFORMAL_RE = re.compile(r"[你妳](?:们|好)?")


def informal_you(text, masked, context):
    for m in _INFORMAL_RE.finditer(text):
        if m.start() and text[m.start() - 1] == "迷":
            continue  # 迷你: mini
        yield Finding(
            "informal_you",
            m.start(),
            m.end(),
            "您好" if m.group(0).endswith("好") else "您",
        )


# transfer_address -----------------------------------------------------------------------

_WAREHOUSE = r"(?:中转仓|转运仓|集运仓|中转仓库|转运仓库)"
_TRANSFER_RE = re.compile(
    rf"{_WAREHOUSE}[^。！？!?\n]{{0,20}}?(?:地址|[:：]|[\u4e00-\u9fff]{{1,6}}(?:路|街|巷|大道)\d*号?)"
    rf"|(?:寄|发|退|送)(?:到|往|回)(?:我们|我们的|店里的?)?{_WAREHOUSE}"
)


transfer_address = pattern_rule(
    "transfer_address",
    _TRANSFER_RE,
    None,
)


# insult ---------------------------------------------------------------------------------

_INSULT_RE = re.compile(
    r"神经病|脑子有病|脑子进水|脑残|白痴|弱智|智障|傻[逼比瓜帽子]|傻[Bb]|煞笔|沙比|蠢货|蠢猪"
    r"|笨蛋|混蛋|王八蛋|穷鬼|穷逼|去死|有病吧|[你您](?:是不是)?有病|滚(?:蛋|开|远点|出去)|给我滚"
    r"|他妈的?|你妈|尼玛|妈的|[Tt][Mm][Dd]|[Ss][Bb](?![a-zA-Z])|买不起(?:就)?别|爱买不买|闭嘴"
)


insult = pattern_rule(
    "insult",
    _INSULT_RE,
    "非常理解您的心情，我来帮您处理",
)


# one_word_reply -------------------------------------------------------------------------

# (pattern, what to write instead) for a reply that is nothing but a curt word.
_ONE_WORDS = (
    (r"在的?|在呢", "您好，在的，请问有什么可以帮您？"),
    (
        r"没有?了?|没货了?|卖完了?|卖光了?|售罄了?|断货了?",
        "非常抱歉，这款暂时卖完了，我给您推荐一款相近的现货好吗？",
    ),
    (r"不行|不能|不可以", "非常抱歉，这个暂时无法办到，我帮您看看其他办法好吗？"),
)
_ONE_WORD_RE = re.compile(
    r"\s*(?:亲[，,]?)?(?:"
    + "|".join(p for p, _s in _ONE_WORDS)
    + r")[哦呢啊呀啦的]{0,2}[\s~～。.!！?？…,，、]*"
)
_ONE_WORD_KINDS = [(re.compile(f"(?:{p})[哦呢啊呀啦的]{{0,2}}"), s) for p, s in _ONE_WORDS]
_ONE_WORD_CORE_RE = re.compile(r"[^\s~～。.!！?？…,，、亲]+")


def one_word_reply(text, masked, context):
    if not text.strip() or not _ONE_WORD_RE.fullmatch(text):
        return
    core = _ONE_WORD_CORE_RE.search(text).group(0)
    [suggestion] = next(rest for pattern, *rest in _ONE_WORD_KINDS if pattern.fullmatch(core))
    yield Finding(
        "one_word_reply",
        0,
        len(text),
        suggestion,
        {"word": core, "suggestion": suggestion},
    )


RULES = (
    "bare_particle",
    "one_word_reply",
    "dont_know",
    "negative_word",
    "refusal_without_apology",
    "absolute_promise",
    "cash_rebate",
    "off_platform",
    "transfer_address",
    "insult",
    "data_leak",
    "informal_you",
    "duplicate_review_reply",
)
