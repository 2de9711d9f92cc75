"""The etiquette checker (客服禁忌): finds what the shops' own rules forbid in a reply draft.

``check(text, *, buyer=None, order=None)`` returns findings, each with the rule code, the
character span, a zh-hans message saying what to write instead, and a replacement (or None).
It is pure Python (precompiled regular expressions over the text) and reads the database
only for ``data_leak`` when a buyer is given and the text holds a number or name that is not
the current order's (one query for the buyer's other orders).

Precision matters as much as recall, so the rules match phrases, not every 不:
polite fixed phrases (不客气, 不好意思, 不用谢, 不错 …) and A-not-A questions (能不能,
可不可以, 行不行) are masked before the refusal rules look at the text.

Review replies: ``check(text, shop=shop, review_reply=True)`` (or ``check_review_reply``)
adds ``duplicate_review_reply``: the draft is compared with the shop's recent review replies
by character-bigram Jaccard similarity (letters, digits and CJK only); ≥ 0.8 with any of the
last 30 is a finding. The recent replies come from the ``recent_replies`` argument when given,
else from the functions registered with ``register_review_reply_source`` (the reviews app
registers one returning the shop's latest reply texts, newest first).
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

RULES = (
    "bare_particle",
    "dont_know",
    "negative_word",
    "refusal_without_apology",
    "absolute_promise",
    "cash_rebate",
    "off_platform",
    "data_leak",
    "informal_you",
    "duplicate_review_reply",
)

DUPLICATE_THRESHOLD = 0.8
RECENT_REPLIES_LIMIT = 30


@dataclass(frozen=True)
class Finding:
    rule: str
    start: int
    end: int
    message: str
    suggestion: str | None = None

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "suggestion": self.suggestion,
        }


_BOUNDARY = set("，。！？!?,.;；:：~～…、 \n\t\"'“”‘’（）()【】[]")
_MASK = "\u3000"

# Fixed phrases with 不 that are polite or describe a product's good qualities.
POLITE_PHRASES = (
    "不客气",
    "不好意思",
    "不用谢",
    "不谢",
    "不错",
    "不用担心",
    "不要担心",
    "不必担心",
    "不用着急",
    "不要着急",
    "不着急",
    "不麻烦",
    "不辛苦",
    "不见不散",
    "不定期",
    "不满意",
    "不合适",
    "不掉色",
    "不褪色",
    "不起球",
    "不变形",
    "不缩水",
    "不刺激",
    "不过敏",
    "不闷",
    "不容错过",
    "不能错过",
    "要不",
)
_POLITE_RE = re.compile("|".join(sorted(POLITE_PHRASES, key=len, reverse=True)))
_A_NOT_A_RE = re.compile(r"(能|行|可|是|要|会|好|对|退|换|发|送|到|支持|包)不\1")


def _masked(text: str) -> str:
    """``text`` with polite 不-phrases and A-not-A questions blanked out (same length)."""

    def blank(match):
        return _MASK * len(match.group(0))

    return _A_NOT_A_RE.sub(blank, _POLITE_RE.sub(blank, text))


def _clause_before(text: str, index: int) -> str:
    start = index
    while start > 0 and text[start - 1] not in _BOUNDARY:
        start -= 1
    return text[start:index]


def _sentence_after(text: str, index: int) -> str:
    end = index
    while end < len(text) and text[end] not in "。！!\n":
        end += 1
        if text[end - 1] in "？?":
            break
    return text[index:end]


# bare_particle -------------------------------------------------------------------------

_BARE_RE = re.compile(r"\s*[哦噢恩嗯喔]+[\s~～。.!！?？…,，、]*")


def _bare_particle(text, masked, context):
    if text.strip() and _BARE_RE.fullmatch(text):
        yield Finding(
            "bare_particle",
            0,
            len(text),
            "不要只回“哦/嗯”，买家会觉得被敷衍；请完整回答，例如“好的，亲，已经帮您记下了”。",
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


def _dont_know(text, masked, context):
    for m in _DONT_KNOW_RE.finditer(text):
        span = _dont_know_span(text, m)
        if span is None:
            continue
        yield Finding(
            "dont_know",
            *span,
            "不要说“不知道/不清楚”或让买家自己选；请说“您稍等，我帮您确认一下”，查明后再答复。",
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


def _negative_word(text, masked, context):
    for m in _NEGATIVE_RE.finditer(masked):
        word = m.group(0)
        suggestion, hint = _kind(_NEGATIVE_KINDS, word)
        instead = hint or f"“{suggestion}”"
        yield Finding(
            "negative_word",
            m.start(),
            m.end(),
            f"避免用带“不”的否定词“{word}”，请改说{instead}，语气更委婉。",
            suggestion,
        )


# refusal_without_apology ----------------------------------------------------------------

_REFUSAL_RE = re.compile(
    r"无法|不能|不行|没办法|没有办法|做不到|办不到|不可以|不支持|不包邮|不退|不换|爱莫能助|恕不|恕难"
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
}
_APOLOGY_RE = re.compile(r"抱歉|对不起|不好意思|很遗憾|见谅")
_HYPOTHETICAL_RE = re.compile(r"如果|要是|万一|若|假如|担心|怕")
_BUYER_SUBJECT_RE = re.compile(r"(?:您|你)[^的]{0,3}$")


def _refusal_without_apology(text, masked, context):
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
            "无法满足买家时，第一句先说“非常抱歉”，再说明原因和能提供的替代办法。",
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
_RECOGNITION_BEFORE = set("的到得获")
_RECOGNITION_AFTER = set("和与及")
_THANKS_BEFORE = re.compile(r"(?:感谢|谢谢|多谢)[^，。！？]{0,6}$")


def _absolute_promise(text, masked, context):
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
            f"不要做“{m.group(0)}”这样的绝对承诺，请改说“尽量/努力/争取”。",
            suggestion,
        )


# cash_rebate ----------------------------------------------------------------------------

_NUM = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十几]+)"
_CASH_RE = re.compile(
    r"返现|返利|返钱|现金奖励"
    rf"|(?:好评|五星|5星|晒图|追评)[^。！？!?\n]{{0,15}}?返(?:您|你)?{_NUM}(?:元|块)(?:钱|现金|红包)?"
    rf"|返(?:您|你)?{_NUM}?(?:元|块)?(?:的)?(?:现金)?红包"
    rf"|(?:好评|五星|5星|晒图|追评)[^。！？!?\n]{{0,12}}?(?:送|给|发)(?:您|你)?{_NUM}(?:元|块)(?![^。！？!?\n]{{0,3}}券)(?:钱|现金|红包)?"
    r"|(?:好评|五星|5星|晒图|追评)[^。！？!?\n]{0,12}?红包"
    r"|红包[^。！？!?\n]{0,12}?(?:好评|五星|5星|晒图|追评)"
)


def _cash_rebate(text, masked, context):
    for m in _CASH_RE.finditer(text):
        yield Finding(
            "cash_rebate",
            m.start(),
            m.end(),
            "不能用返现或红包换评价（平台禁止）；请改说“感谢您的支持，期待您的好评”，最多送店铺优惠券。",
            None,
        )


# off_platform ---------------------------------------------------------------------------

_CHAT_APPS = r"(?:微信|威信|薇信|徽信|v信|vx|wx|weixin|qq|扣扣|企鹅|q)"
_OFF_PLATFORM_RE = re.compile(
    rf"(?:加|添加|加一下|加个)(?:一下)?(?:我|我的|我们|我们的|客服|客服的)?(?:私人)?{_CHAT_APPS}(?:号|好友)?"
    rf"|(?:微信|qq|扣扣|vx|wx)(?:号|联系|上聊|上说|聊)"
    r"|vx|wx|v信"
    r"|私聊|私下(?:交易|联系|转账|沟通)|线下交易|支付宝转账|转账给我|加我好友"
    r"|(?:打|拨打|拨)(?:我|我们|客服)的?(?:电话|手机)|打电话给(?:我|我们)|给(?:我|我们)打电话"
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


def _off_platform(text, masked, context):
    lower = _lower_keeping_indexes(text)
    for m in _OFF_PLATFORM_RE.finditer(lower):
        if m.group(0) in _BARE_APP_NAMES and (
            _is_latin(lower[m.start() - 1 : m.start()]) or _is_latin(lower[m.end() : m.end() + 1])
        ):
            continue  # inside a longer Latin word
        yield Finding(
            "off_platform",
            m.start(),
            m.end(),
            "请留在旺旺/平台聊天里沟通，不要引导买家加微信、QQ或打电话；电话里谈妥的事也要在聊天里确认。",
            None,
        )


# data_leak ------------------------------------------------------------------------------

# Boundaries (no digit or mask star either side) are checked in code: a pattern starting
# with a lookbehind cannot use re's fast literal prefix scan.
_MOBILE_RE = re.compile(r"1[3-9]\d(?:[ -]?\d{4}){2}")
_ORDER_ID_RE = re.compile(r"\d{16,}")
_NUMBER_EDGE = set("0123456789*")


def _standalone(text: str, match) -> bool:
    start, end = match.span()
    return (start == 0 or text[start - 1] not in _NUMBER_EDGE) and (
        end == len(text) or text[end] not in _NUMBER_EDGE
    )


_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤"
)
_NAME_RE = re.compile(
    r"(?:收货人|收件人|联系人|姓名|名字|真实姓名)(?:是|叫|为|：|:)?\s*(?P<name>[\u4e00-\u9fff]{2,3})"
)
_NAME_TAIL = set("的吗呢吧哦啊呀了和与及")


def _digits(value: str) -> str:
    return "".join(ch for ch in value or "" if ch.isdigit())


class _OwnData:
    """The numbers and names that belong to this conversation's buyer and order."""

    def __init__(self, buyer, order):
        self.buyer, self.order = buyer, order
        self._loaded = False
        self.numbers: set[str] = set()
        self.names: set[str] = set()
        if order is not None:
            self._add(order)

    def _add(self, order) -> None:
        for value in (order.order_id, order.mobile, order.phone, order.tracking_number):
            if _digits(value):
                self.numbers.add(_digits(value))
        if order.receiver_name:
            self.names.add(order.receiver_name.strip())

    def _load_buyer(self) -> None:
        if self._loaded or self.buyer is None or getattr(self.buyer, "pk", None) is None:
            return
        self._loaded = True
        from orders.models import Order

        fields = ("order_id", "mobile", "phone", "tracking_number", "receiver_name")
        for row in Order.objects.filter(buyer=self.buyer).values_list(*fields):
            self._add(Order(**dict(zip(fields, row, strict=True))))

    def has_number(self, number: str) -> bool:
        if number in self.numbers:
            return True
        self._load_buyer()
        return number in self.numbers

    def has_name(self, name: str) -> bool:
        if any(name == known or known.startswith(name) for known in self.names):
            return True
        self._load_buyer()
        return any(name == known or known.startswith(name) for known in self.names)


def _data_leak(text, masked, context):
    buyer, order = context.get("buyer"), context.get("order")
    own = _OwnData(buyer, order) if (buyer is not None or order is not None) else None
    message = "不能透露其他买家或订单的信息（泄露客户信息扣6分）；只引用本单的信息，号码请打码，如 138****5678。"
    for m in _MOBILE_RE.finditer(text):
        if not _standalone(text, m):
            continue
        number = _digits(m.group(0))
        if own is None or not own.has_number(number):
            yield Finding(
                "data_leak", m.start(), m.end(), message, f"{number[:3]}****{number[-4:]}"
            )
    for m in _ORDER_ID_RE.finditer(text):
        if len(m.group(0)) > 19 or not _standalone(text, m):
            continue
        if own is None or not own.has_number(m.group(0)):
            yield Finding("data_leak", m.start(), m.end(), message, f"尾号{m.group(0)[-4:]}的订单")
    if own is None:
        return
    for m in _NAME_RE.finditer(text):
        name = m.group("name")
        while len(name) > 2 and name[-1] in _NAME_TAIL:
            name = name[:-1]
        if name[0] not in _SURNAMES or name[-1] in _NAME_TAIL or own.has_name(name):
            continue
        start = m.start("name")
        yield Finding("data_leak", start, start + len(name), message, name[0] + "**")


# informal_you ---------------------------------------------------------------------------

_INFORMAL_RE = re.compile(r"[你妳](?:们|好)?")


def _informal_you(text, masked, context):
    for m in _INFORMAL_RE.finditer(text):
        if m.start() and text[m.start() - 1] == "迷":
            continue  # 迷你: mini
        yield Finding(
            "informal_you",
            m.start(),
            m.end(),
            "称呼买家请用“您”，不要用“你”（“你好”也请写成“您好”）。",
            "您好" if m.group(0).endswith("好") else "您",
        )


# duplicate_review_reply -----------------------------------------------------------------

ReviewReplySource = Callable[..., Iterable[str]]
_review_reply_sources: list[ReviewReplySource] = []


def register_review_reply_source(source: ReviewReplySource) -> ReviewReplySource:
    """Register ``source(shop, limit) -> texts`` (the shop's recent review replies, newest
    first). Usable as a decorator; registering the same function twice has no effect."""
    if source not in _review_reply_sources:
        _review_reply_sources.append(source)
    return source


def _normalised(text: str) -> str:
    return "".join(ch.lower() for ch in text if ch.isalnum())


def _bigrams(text: str) -> set[str]:
    text = _normalised(text)
    if len(text) < 2:
        return {text} if text else set()
    return {text[i : i + 2] for i in range(len(text) - 1)}


def similarity(a: str, b: str) -> float:
    """Character-bigram Jaccard similarity of two texts, ignoring punctuation and spaces."""
    first, second = _bigrams(a), _bigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def _recent_replies(shop, recent_replies):
    if recent_replies is not None:
        return list(recent_replies)[:RECENT_REPLIES_LIMIT]
    if shop is None:
        return []
    texts: list[str] = []
    for source in _review_reply_sources:
        texts.extend(source(shop, RECENT_REPLIES_LIMIT))
    return texts[: RECENT_REPLIES_LIMIT * max(1, len(_review_reply_sources))]


def _duplicate_review_reply(text, masked, context):
    if not context.get("review_reply"):
        return
    mine = _bigrams(text)
    if not mine:
        return
    for other in _recent_replies(context.get("shop"), context.get("recent_replies")):
        theirs = _bigrams(other)
        if not theirs:
            continue
        score = len(mine & theirs) / len(mine | theirs)
        if score >= DUPLICATE_THRESHOLD:
            yield Finding(
                "duplicate_review_reply",
                0,
                len(text),
                f"与本店近期另一条评价回复几乎相同（相似度 {score:.0%}）；请针对这条评价的内容写回复，不要千篇一律。",
                None,
            )
            return


_CHECKS = (
    _bare_particle,
    _dont_know,
    _negative_word,
    _refusal_without_apology,
    _absolute_promise,
    _cash_rebate,
    _off_platform,
    _data_leak,
    _informal_you,
    _duplicate_review_reply,
)


def check(
    text: str,
    *,
    buyer=None,
    order=None,
    shop=None,
    review_reply: bool = False,
    recent_replies: Iterable[str] | None = None,
) -> list[Finding]:
    """The findings for a reply draft, ordered by position.

    ``buyer``/``order``: the conversation's buyer and order, whose own numbers and names are
    not leaks. ``review_reply=True`` adds the duplicate check against ``recent_replies`` (the
    shop's recent review reply texts; when None they come from the registered sources for
    ``shop``). Pass ``recent_replies`` without the reply being edited, so it is not compared
    with itself.
    """
    text = text or ""
    masked = _masked(text)
    context = {
        "buyer": buyer,
        "order": order,
        "shop": shop,
        "review_reply": review_reply,
        "recent_replies": recent_replies,
    }
    findings = [finding for rule in _CHECKS for finding in rule(text, masked, context)]
    findings.sort(key=lambda f: (f.start, f.end, RULES.index(f.rule)))
    return findings


def check_review_reply(
    text: str, *, shop, buyer=None, order=None, recent_replies: Iterable[str] | None = None
) -> list[Finding]:
    """``check`` for a reply to a review (adds ``duplicate_review_reply``)."""
    return check(
        text, buyer=buyer, order=order, shop=shop, review_reply=True, recent_replies=recent_replies
    )
