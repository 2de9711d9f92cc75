"""The Celery app a real worker runs in the kill -9 test (``celery -A
tests.outreach.fault_worker worker``): the project's app, with

- a visibility timeout of seconds instead of 30 minutes, so messages a killed worker held
  come back within the test's time bound;
- a sender that takes ``FAULT_SEND_SECONDS`` per message and records each delivery
  attempt in Redis as ``<outbox id>:<key>`` (a receiving end that dedupes on the outbox id,
  the idempotency key, would show the buyer each distinct id once);
- decisions slowed by ``FAULT_DECIDE_SECONDS`` so the kill lands mid-batch.
"""

import os
import time

import redis
from celery.signals import worker_process_init

from helpdesk.celery import app

DELIVERIES_KEY = "outreach-faults:deliveries"
VISIBILITY_TIMEOUT = 5

app.conf.broker_transport_options = {
    "visibility_timeout": VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}


class RecordingSender:
    def __init__(self):
        self.redis = redis.Redis.from_url(os.environ["REDIS_URL"])
        self.delay = float(os.environ.get("FAULT_SEND_SECONDS", "0.2"))

    def send(self, message):
        time.sleep(self.delay)
        self.redis.rpush(DELIVERIES_KEY, f"{message.pk}:{message.key}")


@worker_process_init.connect
def install_faults(**kwargs):
    from chats import senders
    from outreach import reminders

    sender = RecordingSender()
    senders.sender_for = lambda message: sender
    decide_delay = float(os.environ.get("FAULT_DECIDE_SECONDS", "0.1"))
    enqueue = reminders.outbox_enqueue

    def slow_enqueue(**kwargs):
        time.sleep(decide_delay)
        return enqueue(**kwargs)

    reminders.outbox_enqueue = slow_enqueue


if __name__ == "__main__":
    # ``python -m tests.outreach.fault_worker``: the same worker ``celery -A ... worker``
    # starts, without importing the CLI (seconds saved on a loaded machine).
    app.Worker(
        concurrency=3,
        prefetch_multiplier=1,
        without_heartbeat=True,
        without_gossip=True,
        without_mingle=True,
        loglevel="INFO",
    ).start()
