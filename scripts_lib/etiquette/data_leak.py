"""The ``data_leak`` rule: another buyer's or order's phone, order id or name in a reply
(a platform penalty: 泄露客户信息扣6分). Reads the database only when a buyer is given
and the text holds a number or name that is not the current order's."""

import re

from .findings import Finding

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


def data_leak(text, masked, context):
    buyer, order = context.get("buyer"), context.get("order")
    own = _OwnData(buyer, order) if (buyer is not None or order is not None) else None
    for m in _MOBILE_RE.finditer(text):
        if not _standalone(text, m):
            continue
        number = _digits(m.group(0))
        if own is None or not own.has_number(number):
            yield Finding("data_leak", m.start(), m.end(), f"{number[:3]}****{number[-4:]}")
    for m in _ORDER_ID_RE.finditer(text):
        if len(m.group(0)) > 19 or not _standalone(text, m):
            continue
        if own is None or not own.has_number(m.group(0)):
            yield Finding("data_leak", m.start(), m.end(), f"尾号{m.group(0)[-4:]}的订单")
    if own is None:
        return
    for m in _NAME_RE.finditer(text):
        name = m.group("name")
        while len(name) > 2 and name[-1] in _NAME_TAIL:
            name = name[:-1]
        if name[0] not in _SURNAMES or name[-1] in _NAME_TAIL or own.has_name(name):
            continue
        start = m.start("name")
        yield Finding("data_leak", start, start + len(name), name[0] + "**")
