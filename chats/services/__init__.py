"""Chat services: every change to conversations goes through one of these functions.

They are split by concern (intake, assignment, replies, bargaining, closing) and
re-exported here so callers write ``from chats.services import conversation_claim``."""

from .assignment import (
    assign_waiting,
    conversation_assign,
    conversation_assign_auto,
    conversation_claim,
    conversation_transfer,
    presence_set,
)
from .bargaining import concession_offer
from .closing import close_idle, conversation_close, survey_answer, survey_token
from .direct import buyer_conversation, buyer_message_send
from .intake import buyer_message_receive
from .replies import conversation_auto_greet, conversation_mark_read, conversation_reply
from .stock import stock_notices, stock_wish_record

__all__ = [
    "assign_waiting",
    "buyer_conversation",
    "buyer_message_receive",
    "buyer_message_send",
    "close_idle",
    "concession_offer",
    "conversation_assign",
    "conversation_assign_auto",
    "conversation_auto_greet",
    "conversation_claim",
    "conversation_close",
    "conversation_mark_read",
    "conversation_reply",
    "conversation_transfer",
    "presence_set",
    "stock_notices",
    "stock_wish_record",
    "survey_answer",
    "survey_token",
]
