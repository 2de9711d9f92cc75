"""The in-sale workflows: what an agent does to settle each kind of problem order.

Each one: permission → lock → validate → change → memo (the packer's view) → audit →
move the problem through the state table (``apply_transition`` without a second memo).
One module per kind of problem; ``steps`` holds the first and last step they share.
"""

from .address import ADDRESS_CATEGORIES, courier_request_settle, problem_change_address
from .cod import problem_cod_confirm
from .duplicates import DuplicateDecision, problem_duplicate_settle
from .stock import StockChoice, problem_stock_choose, problem_stock_offer

__all__ = [
    "ADDRESS_CATEGORIES",
    "DuplicateDecision",
    "StockChoice",
    "courier_request_settle",
    "problem_change_address",
    "problem_cod_confirm",
    "problem_duplicate_settle",
    "problem_stock_choose",
    "problem_stock_offer",
]
