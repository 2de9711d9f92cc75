"""Senders deliver an outbox row to the buyer. The console sender is the embedded default:
it logs the message, so a demo or a development machine sends nothing anywhere."""

import logging

from .models import OutboxMessage

logger = logging.getLogger("helpdesk.outbox")


class ConsoleSender:
    def send(self, message: OutboxMessage) -> None:
        logger.info("outbox %s to %s: %s", message.key, message.buyer_id, message.text)


def sender_for(message: OutboxMessage):
    return ConsoleSender()
