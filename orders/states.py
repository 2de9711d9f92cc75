"""The platform's order states (订单状态) and the texts the order report writes for them."""

from functools import cache

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class OrderState(models.TextChoices):
    NO_PAYMENT = "no_payment", _("没有创建支付宝交易")
    WAITING_PAYMENT = "waiting_payment", _("等待买家付款")
    COD_WAITING_CONFIRM = "cod_waiting_confirm", _("等待买家确认货到付款订单信息")
    PAID = "paid", _("买家已付款，等待卖家发货")
    COD_CONFIRMED = "cod_confirmed", _("买家已确认，等待卖家发货")
    SHIPPED = "shipped", _("卖家已发货，等待买家确认")
    COD_SHIPPED = "cod_shipped", _("卖家已发货，等待买家确认收货并付款")
    COD_SIGNED = "cod_signed", _("买家已签收")
    COD_SETTLED = "cod_settled", _("买家已签收，回款至卖家")
    FINISHED = "finished", _("交易成功")
    CLOSED = "closed", _("交易关闭")
    CLOSED_BY_PLATFORM = "closed_by_platform", _("交易被淘宝关闭")


@cache
def _states_by_text() -> dict[str, OrderState]:
    with translation.override(None):
        return {str(state.label): state for state in OrderState}


def state_for_text(text: str) -> OrderState | None:
    """The state the order report writes as ``text``. The report carries the platform's
    Chinese texts (the labels' msgids) whatever language the importing user reads."""
    return _states_by_text().get(text)


UNPAID_STATES = frozenset({OrderState.WAITING_PAYMENT})
AWAITING_SHIPMENT_STATES = frozenset({OrderState.PAID, OrderState.COD_CONFIRMED})
SHIPPED_STATES = frozenset({OrderState.SHIPPED, OrderState.COD_SHIPPED})
RECEIVED_STATES = frozenset({OrderState.COD_SIGNED, OrderState.COD_SETTLED, OrderState.FINISHED})
CLOSED_ORDER_STATES = frozenset({OrderState.CLOSED, OrderState.CLOSED_BY_PLATFORM})
"""Closed by the seller or the platform (交易关闭); not finished (交易成功), which is received."""
