"""Registry of scheduled jobs that can also be run by hand (``manage.py run_job``).

An app registers a job in its ``jobs.py``; the registry imports every installed app's
``jobs`` module on first use. A job takes the shop (or None for all shops) and the "now"
it should act at, and returns a JSON-serialisable report with at least ``sent`` and
``skipped`` where the job messages buyers.
"""

from collections.abc import Callable
from datetime import datetime
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps

JobFunction = Callable[..., dict[str, Any]]
_jobs: dict[str, JobFunction] = {}


def register_job(name: str) -> Callable[[JobFunction], JobFunction]:
    def decorator(func: JobFunction) -> JobFunction:
        _jobs[name] = func
        return func

    return decorator


def _discover() -> None:
    for config in apps.get_app_configs():
        module = f"{config.name}.jobs"
        if find_spec(config.name) and find_spec(module):
            import_module(module)


def job_names() -> list[str]:
    _discover()
    return sorted(_jobs)


def run_job(name: str, *, shop=None, now: datetime) -> dict[str, Any]:
    _discover()
    try:
        job = _jobs[name]
    except KeyError:
        raise KeyError(f"unknown job {name!r}; known: {', '.join(sorted(_jobs))}") from None
    report = job(shop=shop, now=now)
    return {"job": name, **report}
