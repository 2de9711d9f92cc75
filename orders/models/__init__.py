"""The orders models, one module per concern. Everything is re-exported here, so
``from orders.models import Order`` and the migrations keep working."""

from .buyers import Buyer
from .courier_requests import CourierRequest, CourierRequestKind, CourierRequestStatus
from .imports import ImportKind, ImportRun, ImportStatus
from .memos import Memo, MemoFlag
from .orders import MONEY, ORDER_PAGES, Order, OrderItem, OrderStateChange
from .problems import (
    ACTIVE_PROBLEM_STATES,
    CancelReason,
    Problem,
    ProblemCategory,
    ProblemDigest,
    ProblemState,
)
from .stock import Sku, StockWish

__all__ = [
    "ACTIVE_PROBLEM_STATES",
    "MONEY",
    "ORDER_PAGES",
    "Buyer",
    "CancelReason",
    "CourierRequest",
    "CourierRequestKind",
    "CourierRequestStatus",
    "ImportKind",
    "ImportRun",
    "ImportStatus",
    "Memo",
    "MemoFlag",
    "Order",
    "OrderItem",
    "OrderStateChange",
    "Problem",
    "ProblemCategory",
    "ProblemDigest",
    "ProblemState",
    "Sku",
    "StockWish",
]
