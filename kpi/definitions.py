"""What every figure means. The UI shows ``text`` on hover (title attributes), and
``kpi_report --json`` uses the keys as written here.

Common rules:
- A day is an Asia/Shanghai calendar day; an agent's figures come from the conversations
  assigned to them that were opened that day.
- Money is Decimal yuan (two decimals); rates are fractions 0–1; seconds are averages.
- A figure is None ("无数据") when its source does not exist on this installation or when
  its denominator is zero; it is never guessed.
- Over several days, counts and money are summed and rates are recomputed from the summed
  numerators and denominators (never an average of daily rates). Buyer counts are summed per
  day, as the platform's own reports do.
- Every rate divides a count by the count of the population it is taken from (its
  numerator is a part of its denominator), so no rate can pass 100 %. The after-sale and
  refund rates are the platform's rolling 30 days: a period shows the 30 days ending with
  its last day.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    kind: str
    """count, money, rate, seconds, ratio, score or categories: how it is formatted."""
    text: str
    agent: bool = True
    """Also computed per agent (else only per shop)."""
    reported: bool = True
    """One of the keys ``kpi_report --json`` prints (else shown on the pages only)."""


FIGURES: list[Figure] = [
    Figure(
        "reception_count",
        _("接待人数"),
        "count",
        _("当天新开、客服至少回复过一条消息的会话中不同买家的人数。"),
    ),
    Figure(
        "inquiry_count",
        _("询单人数"),
        "count",
        _("当天售前会话中发过消息的不同买家人数（不含非售前咨询和骚扰）。"),
    ),
    Figure(
        "paying_count",
        _("付款人数"),
        "count",
        _("询单买家中，在会话开始后店铺设定的转化窗口（小时）内付款的人数。"),
    ),
    Figure(
        "inquiry_conversion",
        _("询单转化率"),
        "rate",
        _("付款人数 ÷ 询单人数（同一批当天询单的买家）；没有询单时无数据。"),
    ),
    Figure(
        "sales",
        _("销售额"),
        "money",
        _(
            "客服：询单买家在转化窗口内付款订单的实付金额合计；店铺：当天付款的全部订单的实付金额合计。"
        ),
    ),
    Figure(
        "average_order_value",
        _("客单价"),
        "money",
        _("销售额 ÷ 计入销售额的订单数；没有订单时无数据。"),
    ),
    Figure(
        "first_response_seconds",
        _("首次响应时间"),
        "seconds",
        _("当天新开的会话中，买家第一条消息到客服第一条回复的平均秒数（自动回复不算）。"),
    ),
    Figure(
        "average_response_seconds",
        _("平均响应时间"),
        "seconds",
        _("当天新开的会话中，买家每次发消息后到客服回复的平均秒数。"),
    ),
    Figure(
        "response_within_3min_rate",
        _("3分钟响应率"),
        "rate",
        _(
            "当天新开的会话中，3 分钟内得到回复的买家消息数 ÷ 得到回复的买家消息数（平台考核口径）。"
        ),
    ),
    Figure(
        "qa_ratio",
        _("问答比"),
        "ratio",
        _("当天新开的会话中，买家消息数 ÷ 客服消息数（比值，可大于 1）；客服没有发消息时无数据。"),
    ),
    Figure(
        "reminders_sent",
        _("催付数"),
        "count",
        _(
            "当天发出的催付数；客服口径按催付归属的客服（买家近期会话的接待客服）计，无人接待的只计入店铺。"
        ),
    ),
    Figure(
        "reminder_success_rate",
        _("催付成功率"),
        "rate",
        _(
            "当天发出的催付中，订单在催付后 24 小时内付款的催付数 ÷ 当天发出的催付数（按订单付款时间计算）。"
        ),
    ),
    Figure(
        "followups_sent",
        _("回访数"),
        "count",
        _("当天发出的发货回访消息数。"),
        agent=False,
    ),
    Figure(
        "tickets_resolved",
        _("解决工单数"),
        "count",
        _("当天关闭（非拒绝）的售后工单数，记在解决人名下。"),
    ),
    Figure(
        "sla_kept_rate",
        _("时效达标率"),
        "rate",
        _("当天解决（关闭且未拒绝）的工单中从未超出 SLA 时限的工单数 ÷ 当天解决的工单数。"),
    ),
    Figure(
        "reviews_revised",
        _("中差评修改数"),
        "count",
        _("当天转为“已修改”的中差评数，记在操作的中差评专员名下。"),
    ),
    Figure(
        "csat_average",
        _("满意度均分"),
        "score",
        _("当天新开的会话中，买家满意度评分（1–5）的平均值。"),
    ),
    Figure(
        "qa_score",
        _("质检得分"),
        "score",
        _("当天完成评分的质检（抽检与神秘客户）总分的平均值，满分 100。"),
    ),
    Figure(
        "orders",
        _("订单数"),
        "count",
        _("当天付款的订单数。"),
        agent=False,
    ),
    Figure(
        "refund_amount",
        _("退款金额"),
        "money",
        _("当天完成退款（售后工单首次转为“已退款”）的工单的退款金额合计。"),
        agent=False,
    ),
    Figure(
        "after_sale_cost",
        _("售后成本"),
        "money",
        _("当天新建的售后工单的退款、补偿、补发邮费和退货邮费合计。"),
        agent=False,
        reported=False,
    ),
    Figure(
        "after_sale_tickets",
        _("新建售后工单"),
        "count",
        _("当天新建的售后工单数（任何类型，含已拒绝的）。"),
        agent=False,
    ),
    Figure(
        "after_sale_rate",
        _("售后率（近30天）"),
        "rate",
        _(
            "近30天（截至当天结束）付款的订单中，当天结束前已有售后工单的订单数 ÷ 这些订单数；"
            "分子是分母的一部分，不会超过 100%。"
        ),
        agent=False,
    ),
    Figure(
        "refund_rate",
        _("退款率（近30天）"),
        "rate",
        _(
            "近30天（截至当天结束）付款的订单中，当天结束前已退款成功的订单数 ÷ 这些订单数；"
            "口径同平台近30天退款率，但只计窗口内付款的订单，不会超过 100%。"
        ),
        agent=False,
    ),
    Figure(
        "new_negative_reviews",
        _("新增中差评"),
        "count",
        _("当天新收到的中评和差评数（按评价时间）。"),
        agent=False,
    ),
    Figure(
        "problems_by_category",
        _("问题订单分类"),
        "categories",
        _("当天新开的问题订单数，按类别。"),
        agent=False,
    ),
]

BY_KEY: dict[str, Figure] = {figure.key: figure for figure in FIGURES}
SHOP_FIGURES: list[str] = [figure.key for figure in FIGURES]
SHOP_KEYS: list[str] = [figure.key for figure in FIGURES if figure.reported]
AGENT_KEYS: list[str] = [figure.key for figure in FIGURES if figure.agent and figure.reported]
