"""Every Celery task of every app takes its acknowledgement and retry options from one
policy of helpdesk/task_policy.py, by name, and no module writes those options itself."""

import re
from pathlib import Path

from helpdesk.celery import app
from helpdesk.task_policy import POLICIES

ROOT = Path(__file__).resolve().parents[1]
OPTION_WRITTEN = re.compile(
    r"""(?<![.\w])["']?(acks_late|reject_on_worker_lost|autoretry_for|retry_backoff(_max)?|"""
    r"""retry_jitter|max_retries)["']?\s*[=:]"""
)


def registered_tasks() -> dict:
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_the_walk_finds_the_tasks_of_every_app():
    apps = {name.split(".")[0] for name in registered_tasks()}
    expected = {"audit", "chats", "knowledge", "kpi", "orders", "outreach", "reviews"}
    assert apps >= expected | {"teamwork", "tickets"}


def test_every_task_carries_exactly_one_named_policy():
    wrong = {}
    for name, task in registered_tasks().items():
        policy = POLICIES.get(getattr(task, "task_policy", None))
        if policy is None:
            wrong[name] = "no policy"
            continue
        differs = {
            option: getattr(task, option, None)
            for option, value in policy.items()
            if getattr(task, option, None) != value
        }
        if differs:
            wrong[name] = differs
    assert wrong == {}


def test_no_task_module_writes_retry_options_of_its_own():
    sources = (
        path
        for path in ROOT.rglob("*.py")
        if not {".venv", "tests", "bench"} & set(path.relative_to(ROOT).parts)
        and path != ROOT / "helpdesk" / "task_policy.py"
        and "shared_task" in path.read_text()
    )
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if OPTION_WRITTEN.search(line)
    ]
    assert offenders == []
