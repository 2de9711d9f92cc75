import gzip
import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from audit.services import audit
from helpdesk import clock
from helpdesk.jobs import run_job
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive_dir(settings, tmp_path):
    settings.HELPDESK_AUDIT_KEEP_DAYS = 400
    settings.HELPDESK_AUDIT_ARCHIVE_DIR = str(tmp_path / "archive")
    return tmp_path / "archive"


def _events(shop, actor, *, count, at):
    return [
        audit(actor, "shop.settings_changed", shop, changes={"n": [i, i + 1]}, now=at)
        for i in range(count)
    ]


def _archived(folder):
    rows = []
    for path in sorted(folder.rglob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            rows += [json.loads(line) for line in handle]
    return rows


def _purge_later(days):
    with time_machine.travel(clock.now() + timedelta(days=days), tick=False):
        return run_job("audit_retention", now=clock.now())


def test_events_past_the_kept_days_are_archived_then_deleted(shop, now, archive_dir):
    actor = make_user(shop, Role.SUPERVISOR, username="lijing")
    old = _events(shop, actor, count=3, at=now)
    recent = _events(shop, actor, count=2, at=now + timedelta(days=30))

    report = _purge_later(410)

    assert report["deleted"] == 3 and report["more"] is False
    assert set(AuditEvent.objects.values_list("pk", flat=True)) == {e.pk for e in recent}
    archived = _archived(archive_dir)
    assert [row["id"] for row in archived] == [e.pk for e in old]
    assert archived[0]["actor"] == "lijing" and archived[0]["verb"] == "shop.settings_changed"
    assert archived[0]["changes"] == {"n": [0, 1]}
    assert datetime.fromisoformat(archived[0]["created_at"]) == now
    assert [path.name for path in archive_dir.iterdir()] == [f"{now.astimezone(UTC):%Y-%m}"]


def test_events_inside_the_kept_days_stay(shop, now, archive_dir):
    _events(shop, None, count=2, at=now)
    report = _purge_later(399)
    assert report["deleted"] == 0 and AuditEvent.objects.count() == 2
    assert not archive_dir.exists()


def test_running_twice_deletes_and_archives_nothing_more(shop, now, archive_dir):
    _events(shop, None, count=2, at=now)
    _purge_later(401)
    files = sorted(archive_dir.rglob("*.gz"))
    again = _purge_later(401)
    assert again["deleted"] == 0 and sorted(archive_dir.rglob("*.gz")) == files


def test_zero_days_keeps_every_event(shop, now, archive_dir, settings):
    settings.HELPDESK_AUDIT_KEEP_DAYS = 0
    _events(shop, None, count=2, at=now)
    assert _purge_later(4000)["deleted"] == 0
    assert AuditEvent.objects.count() == 2


def test_without_an_archive_folder_old_events_are_only_deleted(shop, now, settings, tmp_path):
    settings.HELPDESK_AUDIT_ARCHIVE_DIR = ""
    _events(shop, None, count=2, at=now)
    assert _purge_later(500)["deleted"] == 2
    assert AuditEvent.objects.count() == 0 and not list(tmp_path.iterdir())


def test_a_run_deletes_in_batches_and_stops_at_its_limit(shop, now, archive_dir, monkeypatch):
    from helpdesk import retention

    monkeypatch.setattr(retention, "BATCH_SIZE", 2)
    monkeypatch.setattr(retention, "MAX_BATCHES", 2)
    events = _events(shop, None, count=5, at=now)

    first = _purge_later(401)
    assert (first["deleted"], first["batches"], first["more"]) == (4, 2, True)
    assert len(list(archive_dir.rglob("*.gz"))) == 2
    second = _purge_later(401)
    assert (second["deleted"], second["more"]) == (1, False)
    assert [row["id"] for row in _archived(archive_dir)] == sorted(e.pk for e in events)


def test_a_batch_whose_archive_fails_is_not_deleted(shop, now, archive_dir, monkeypatch):
    from audit import retention

    def fail(events, folder):
        raise OSError("disk full")

    monkeypatch.setattr(retention, "archive", fail)
    _events(shop, None, count=2, at=now)
    with pytest.raises(OSError):
        _purge_later(401)
    assert AuditEvent.objects.count() == 2


def test_the_audit_page_lists_what_is_kept(shop, now, archive_dir, client):
    supervisor = make_user(shop, Role.SUPERVISOR)
    audit(
        supervisor, "shop.settings_changed", shop, changes={"name": ["旧名甲", "旧名乙"]}, now=now
    )
    later = now + timedelta(days=401)
    audit(
        supervisor, "shop.settings_changed", shop, changes={"name": ["新名丙", "新名丁"]}, now=later
    )
    _purge_later(401)
    with time_machine.travel(later, tick=False):
        client.force_login(supervisor)
        response = client.get(reverse("audit:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "新名丁" in page and "旧名乙" not in page
