"""The platform's order states (订单状态) and the texts the order report writes for them."""

from django.db import models


class OrderState(models.TextChoices):
    NO_PAYMENT = "no_payment", "没有创建支付宝交易"
    WAITING_PAYMENT = "waiting_payment", "等待买家付款"
    COD_WAITING_CONFIRM = "cod_waiting_confirm", "等待买家确认货到付款订单信息"
    PAID = "paid", "买家已付款，等待卖家发货"
    COD_CONFIRMED = "cod_confirmed", "买家已确认，等待卖家发货"
    SHIPPED = "shipped", "卖家已发货，等待买家确认"
    COD_SHIPPED = "cod_shipped", "卖家已发货，等待买家确认收货并付款"
    COD_SIGNED = "cod_signed", "买家已签收"
    COD_SETTLED = "cod_settled", "买家已签收，回款至卖家"
    FINISHED = "finished", "交易成功"
    CLOSED = "closed", "交易关闭"
    CLOSED_BY_PLATFORM = "closed_by_platform", "交易被淘宝关闭"


STATE_BY_TEXT: dict[str, OrderState] = {state.label: state for state in OrderState}

UNPAID_STATES = frozenset({OrderState.WAITING_PAYMENT})
AWAITING_SHIPMENT_STATES = frozenset({OrderState.PAID, OrderState.COD_CONFIRMED})
SHIPPED_STATES = frozenset({OrderState.SHIPPED, OrderState.COD_SHIPPED})
RECEIVED_STATES = frozenset({OrderState.COD_SIGNED, OrderState.COD_SETTLED, OrderState.FINISHED})
CLOSED_STATES = frozenset({OrderState.CLOSED, OrderState.CLOSED_BY_PLATFORM})
