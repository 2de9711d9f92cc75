"""Run an uploaded import (ImportRun) exactly once, whatever the broker does.

The task may be delivered twice (acks_late redelivers after a worker died; Redis
redelivers after the visibility timeout). The run's row is locked for the length of the
import's transaction and its status is checked under the lock: a second delivery waits,
then finds the run done and returns. A worker killed mid-file leaves the run "running"
with nothing written (the transaction died with it), and the redelivered task imports it
from the start. Progress is kept in the cache (rows read, fraction of the file), since
nothing written inside the transaction is visible to the polling page until it commits.
"""

import logging
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, transaction
from django.utils.translation import gettext as _

from audit.services import audit
from live.events import publish
from orders.models import ImportRun, ImportStatus

from .errors import ImportFatal
from .run import import_file

logger = logging.getLogger(__name__)


def progress_key(run_id: int) -> str:
    return f"orders:import-run:{run_id}:progress"


def import_run_progress(run: ImportRun) -> dict:
    """{"rows": n, "percent": p} for a run: live from the cache while it runs."""
    if run.status == ImportStatus.DONE:
        return {"rows": run.rows_done, "percent": 100}
    live = cache.get(progress_key(run.pk)) or {}
    return {"rows": live.get("rows", run.rows_done), "percent": live.get("percent", 0)}


def import_run_execute(*, run_id: int, now: datetime) -> ImportRun:
    ImportRun.objects.filter(pk=run_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING
    )

    shop_id = ImportRun.objects.filter(pk=run_id).values_list("shop_id", flat=True).first()

    def progress(rows: int, fraction: float) -> None:
        cache.set(progress_key(run_id), {"rows": rows, "percent": int(fraction * 100)}, 3600)
        publish("import", shop_id=shop_id, run=run_id, already_visible=True)

    try:
        with transaction.atomic():
            run = ImportRun.objects.select_for_update().select_related("shop").get(pk=run_id)
            if run.status != ImportStatus.RUNNING:
                return run
            report = import_file(
                Path(settings.MEDIA_ROOT) / run.stored_path,
                shop=run.shop,
                now=now,
                kind=run.report.get("requested_kind") or None,
                progress=progress,
            )
            run.kind = report.kind
            run.status = ImportStatus.DONE
            run.report = {**report.as_dict(), "requested_kind": run.report.get("requested_kind")}
            run.rows_total = run.rows_done = report.rows
            run.finished_at = now
            run.save()
            audit(None, "import.done", run, changes={"report": [None, report.summary()]}, now=now)
    except ImportFatal as fatal:
        report = fatal.report.as_dict() if fatal.report else {}
        _fail(run_id, {**report, "fatal": str(fatal)}, now)
    except OperationalError:
        raise  # the database went away: the task retries, the run is still "running"
    except Exception:
        logger.exception("import run %s failed", run_id)
        _fail(run_id, {"fatal": "导入时发生系统错误，数据未写入；请联系管理员。"}, now)
    finally:
        cache.delete(progress_key(run_id))
        publish("import", shop_id=shop_id, run=run_id)
    return ImportRun.objects.get(pk=run_id)


def import_run_interrupted(*, run_id: int, now: datetime) -> None:
    """The task gave up after the database kept failing: nothing of the file was written
    (each attempt is one transaction)."""
    _fail(run_id, {"fatal": _("导入时数据库连接中断，数据未写入；请重新上传文件。")}, now)


def _fail(run_id: int, report: dict, now: datetime) -> None:
    ImportRun.objects.filter(pk=run_id).exclude(status=ImportStatus.DONE).update(
        status=ImportStatus.FAILED, report=report, finished_at=now
    )
