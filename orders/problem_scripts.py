"""What an in-sale agent says to the buyer for each kind of problem order (话术).

The texts are ours, written for this product. Placeholders are filled from the problem,
its order and the agent: {nick} {order_id} {item} {address} {work_number} {courier}.
The agent sends a script to the buyer's conversation from the problem pane (or copies
it); nothing here is sent automatically. Every script passes the etiquette checker
(tests/orders/test_problem_scripts_send.py).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Problem, ProblemCategory


@dataclass(frozen=True)
class Script:
    key: str
    title: str
    text: str


C = ProblemCategory
SCRIPTS: dict[str, list[Script]] = {
    C.ADDRESS_CHANGE: [
        Script(
            "confirm_new",
            _("核对新地址"),
            _(
                "{nick}您好，我是客服{work_number}号。您订单{order_id}需要更换收货地址，"
                "麻烦把新的收件人、电话和完整地址发给我，我核对后马上帮您改好。"
            ),
        ),
        Script(
            "before_ship_done",
            _("未发货·已改好"),
            _(
                "亲，包裹还在仓库，新地址已经改好了：{address}。仓库会按新地址打包，"
                "请您放心等待发货。"
            ),
        ),
        Script(
            "after_ship",
            _("已发货·联系快递改派"),
            _(
                "非常抱歉，您的包裹已经交给{courier}了。我们这边正在联系快递改派到新地址，"
                "改派能否成功要看快递网点的处理，有结果我第一时间告诉您。"
            ),
        ),
    ],
    C.ADDRESS_UNCLEAR: [
        Script(
            "ask_detail",
            _("请买家补全地址"),
            _(
                "{nick}您好，您订单{order_id}的收货地址里缺少区县或门牌信息，"
                "快递员可能找不准位置。麻烦您补充一下详细地址，我们确认后尽快为您发出。"
            ),
        ),
    ],
    C.OUT_OF_AREA: [
        Script(
            "offer_courier",
            _("换快递或退款"),
            _(
                "{nick}您好，非常抱歉，您填写的地址目前我们合作的快递无法到达。可以为您改发顺丰或EMS"
                "（可能需要补一点运费差价），也可以为您办理退款，您看哪种方式更合适？"
            ),
        ),
    ],
    C.OUT_OF_STOCK: [
        Script(
            "three_options",
            _("缺货·三个方案"),
            _(
                "{nick}您好，非常抱歉，您拍下的{item}刚好断货了。我们为您准备了三个方案："
                "一是换成款式相近、现货充足的商品；二是为您全额退款；三是您愿意等的话，"
                "到货后我们第一时间为您发出并通知您。您更倾向哪一种呢？"
            ),
        ),
        Script(
            "wish_recorded",
            _("已登记到货通知"),
            _("好的亲，已经为您登记了到货提醒，货一到我们会马上联系您并优先发货。"),
        ),
    ],
    C.SHIPPING_CONDITION: [
        Script(
            "postage",
            _("运费差价"),
            _(
                "{nick}您好，您这单还没有达到包邮金额，需要补一下运费差价才能发出。"
                "您也可以再搭配一件小商品凑单包邮，需要的话我帮您推荐。"
            ),
        ),
    ],
    C.MESSAGE_UNMET: [
        Script(
            "message",
            _("留言确认"),
            _(
                "{nick}您好，看到您在订单里的留言了。关于您的要求我们尽量安排，"
                "有一点需要和您先确认清楚，免得收到后与期待不一样，您现在方便吗？"
            ),
        ),
    ],
    C.DUPLICATE_ORDERS: [
        Script(
            "confirm_intent",
            _("确认是否重复下单"),
            _(
                "{nick}您好，我们注意到您拍了几笔订单，收货地址各不相同。想跟您确认一下："
                "是分别寄往不同地址，还是合并成一个包裹寄出，或者有的订单是多拍了需要取消？"
            ),
        ),
    ],
    C.COD_CONFIRM: [
        Script(
            "cod_cost",
            _("货到付款说明"),
            _(
                "{nick}您好，您订单{order_id}选的是货到付款。货到付款需要快递代收，"
                "会比在线支付多一笔服务费，而且只有部分地区支持。请问您确认按货到付款发货吗？"
            ),
        ),
        Script(
            "reorder",
            _("建议改为在线支付"),
            _(
                "没问题亲，那这笔货到付款的订单我们先不发，麻烦您重新拍一单在线支付，"
                "拍好告诉我，我这边马上为您安排。"
            ),
        ),
    ],
    C.LOGISTICS_DELAY: [
        Script(
            "delay",
            _("物流超时安抚"),
            _(
                "{nick}您好，您的包裹走得比平时慢，我们已经在向{courier}查询具体位置了，"
                "查到进展立刻告诉您，给您添麻烦了。"
            ),
        ),
    ],
    C.LOGISTICS_STUCK: [
        Script(
            "stuck",
            _("物流滞留"),
            _(
                "{nick}您好，您的包裹在中转站停留了一段时间，我们已催促{courier}尽快派送，"
                "如果两天内还没有动静，我们会为您补发或者退款。"
            ),
        ),
    ],
    C.LOGISTICS_LOST: [
        Script(
            "lost",
            _("丢件处理"),
            _(
                "非常抱歉，{courier}确认您的包裹在运输途中遗失了。我们会为您重新发一份，"
                "或者为您退款，您选哪种都可以，给您带来的不便真的很抱歉。"
            ),
        ),
    ],
    C.LOGISTICS_REFUSED: [
        Script(
            "refused",
            _("拒收确认"),
            _(
                "{nick}您好，快递反馈包裹被拒收了，想了解一下是遇到了什么情况？"
                "如果是商品或者快递的问题，我们一定帮您处理好。"
            ),
        ),
    ],
    C.LOGISTICS_CONFISCATED: [
        Script(
            "confiscated",
            _("安检没收"),
            _(
                "{nick}您好，非常抱歉，您的包裹在快递安检环节被扣下了，无法继续寄送。"
                "我们为您安排退款，或者换成可以寄送的商品重新发出，您看可以吗？"
            ),
        ),
    ],
}


def scripts_for(problem: Problem, agent) -> list[dict]:
    """The problem's scripts with their placeholders filled, ready to copy into the chat."""
    order = problem.order
    values = {
        "nick": order.buyer_nick or str(_("亲")),
        "order_id": order.order_id,
        "item": order.item_title or str(_("这件商品")),
        "address": order.address,
        "work_number": getattr(agent, "work_number", "") or "",
        "courier": order.courier or str(_("快递公司")),
    }
    return [
        {"key": s.key, "title": str(s.title), "text": str(s.text).format(**values)}
        for s in SCRIPTS.get(problem.category, [])
    ]
