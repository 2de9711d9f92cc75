"""The Celery application: workers and beat import tasks from every installed app."""

import functools
import logging
import os
import warnings

from celery import Celery, signals
from celery.contrib.django.task import DjangoTask
from celery.exceptions import SecurityWarning
from django.db import transaction
from kombu.exceptions import KombuError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

logger = logging.getLogger(__name__)


class HelpdeskTask(DjangoTask):
    """Queueing on commit never fails the request that did it. By the time the callback
    runs the change is committed; with the broker down (Redis stopped) an exception there
    would show the user an error page for a change that was saved. The failure is logged
    and that task is lost: every task queued on commit has a beat sweep that finds its
    work again (docs/faults.md lists them)."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        self.apply_async_on_commit(args, kwargs)

    def apply_async_on_commit(self, args=None, kwargs=None, **options) -> None:
        transaction.on_commit(functools.partial(self._queue_after_commit, args, kwargs, options))

    def _queue_after_commit(self, args, kwargs, options) -> None:
        try:
            self.apply_async(args, kwargs, **options)
        except (KombuError, OSError):
            logger.warning(
                "could not queue %s%r after commit; its beat sweep will pick the work up",
                self.name,
                tuple(args or ()),
                exc_info=True,
            )


app = Celery("helpdesk", task_cls=HelpdeskTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

SOLE_WORKER = os.environ.get("HELPDESK_SOLE_WORKER") == "1"
if SOLE_WORKER:
    # scripts/run runs the embedded stack as whoever starts it, root on a fresh machine;
    # Celery's advice to pick another user is for production, where the image has one.
    warnings.filterwarnings("ignore", category=SecurityWarning)


@signals.worker_init.connect
def _requeue_what_a_dead_worker_held(sender=None, **kwargs) -> None:
    """Embedded mode runs exactly one worker (scripts/embedded.conf sets
    HELPDESK_SOLE_WORKER): when it starts, every message still taken was held by a worker
    that died (killed, crashed), so it is shown again now rather than after the
    visibility timeout. Late acks then re-run those tasks."""
    if not SOLE_WORKER:
        return
    from .broker import Channel

    with app.connection_for_read() as connection:
        channel = connection.default_channel
        if isinstance(channel, Channel):
            requeued = channel.requeue_taken()
            if requeued:
                logger.warning("requeued %d message(s) held by a worker that stopped", requeued)


@signals.worker_ready.connect
def _mark_ready(sender=None, **kwargs) -> None:
    """scripts/run prints its banner once the worker has written this file."""
    if SOLE_WORKER:
        from django.conf import settings

        (settings.VAR_DIR / "worker.ready").touch()
