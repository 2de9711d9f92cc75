"""Every change to orders, buyers and problem orders. Callers import from here:
``from orders.services import memo_write, problem_open, transition``."""

from .buyers import buyer_update, stock_wish_add
from .digest import problem_digest_build
from .memos import memo_write, order_memo_add
from .problems import (
    PROBLEM_DUE,
    problem_assign,
    problem_claim,
    problem_claim_next,
    problem_note,
    problem_open,
    problem_report,
    problems_open_detected,
    transition,
)
from .workflows import (
    DuplicateDecision,
    StockChoice,
    courier_request_settle,
    problem_change_address,
    problem_cod_confirm,
    problem_duplicate_settle,
    problem_stock_choose,
    problem_stock_offer,
)

__all__ = [
    "PROBLEM_DUE",
    "DuplicateDecision",
    "StockChoice",
    "buyer_update",
    "courier_request_settle",
    "memo_write",
    "order_memo_add",
    "problem_assign",
    "problem_change_address",
    "problem_claim",
    "problem_claim_next",
    "problem_cod_confirm",
    "problem_digest_build",
    "problem_duplicate_settle",
    "problem_note",
    "problem_open",
    "problem_report",
    "problem_stock_choose",
    "problem_stock_offer",
    "problems_open_detected",
    "stock_wish_add",
    "transition",
]
