"""The Celery application: workers and beat import tasks from every installed app."""

import functools
import logging
import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
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
