"""Buyer messages that are never answered automatically, whatever the retriever finds:
complaints, anything about the buyer's own order or parcel, and messages with nothing to
answer (greetings, thanks). A person reads these."""

import re

from .analysis import normalise

COMPLAINT = re.compile(
    r"投诉|差评|举报|维权|12315|骗子|骗人|欺骗|垃圾|太差|很差|真差|坑人|被坑|假货|"
    r"气死|生气|恶心|态度|什么破|烂|质量太|再也不|找你们|给个说法|赔偿|赔钱|曝光|工商|"
    r"消协|315|怎么回事|搞什么|无语|失望"
)
OWN_ORDER = re.compile(
    r"我的(快递|包裹|订单|货|衣服|宝贝|东西|单子|茶|退款|物流)|我买的|我拍的|我下的|我昨天|"
    r"我前天|我上周|我刚(才)?(拍|买|付|下)|已经(拍|付|下单|买)|拍了|付款了|下单了|"
    r"到哪了|到哪里了|在哪了|怎么还没|还没(到|收到|发|有)|还不发|迟迟|一直没|没收到|"
    r"没发货|查(一下|下)?(物流|快递|单号|订单)|物流(信息|没|不动|停)|单号|运单|签收|"
    r"帮我(改|退|换|查|催|取消)|取消订单|催(一下|下)?发货|退款(进度|到哪|什么时候到)|"
    r"收到(的|了)|破损|坏了|少发|漏发|发错|\d{8,}|"
    # a parcel that stopped moving is always the buyer's own parcel, however it is said
    r"(快递|物流|包裹)[^，。,.!?？]{0,6}(不动|没动|没动静|没更新|不更新|停了|卡住|卡在)"
)
SMALL_TALK = re.compile(
    r"^(?:(?:你好|您好|在吗|在不在|有人吗|hello|hi|哈喽|嗨|亲|老板|掌柜|客服|谢谢|好的|嗯|哦|"
    r"ok|好|行|知道了|收到|拜拜|再见|晚安|早上好|晚上好|请问)[\W_]*)+$"
)


def never_automatic(text: str) -> str:
    """Why ``text`` must go to a person ('complaint', 'own_order', 'small_talk'), or ''."""
    plain = normalise(text)
    if COMPLAINT.search(plain):
        return "complaint"
    if OWN_ORDER.search(plain):
        return "own_order"
    stripped = re.sub(r"[\s,，。.!！?？~～]+", "", plain)
    if not stripped or SMALL_TALK.match(stripped) or re.fullmatch(r"[\W_]*", stripped):
        return "small_talk"
    return ""
