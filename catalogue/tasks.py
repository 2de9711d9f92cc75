"""Celery tasks: each takes ids, re-reads, calls one service; all are idempotent."""

from celery import shared_task

from helpdesk import clock
from helpdesk.task_policy import RETRY_TRANSIENT_ERRORS


@shared_task(**RETRY_TRANSIENT_ERRORS)
def catalogue_refresh_after_import_task(shop_id: int) -> None:
    from .services import catalogue_refresh_after_import

    catalogue_refresh_after_import(shop_id=shop_id, now=clock.now())
