"""Demo data, one command for every module: each app may have a ``demo.py`` with a
``seed(ctx)`` function; they run in INSTALLED_APPS order, so later modules find what
earlier ones made (shops and staff, then buyers and orders, then chats and tickets)."""

import random
from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

DEMO_PASSWORD = "kefu-demo-2026"
DEMO_TEAM = "云裳客服部"


@dataclass
class DemoContext:
    now: datetime
    rng: random.Random
    team: object = None
    shops: dict = field(default_factory=dict)
    staff: dict = field(default_factory=dict)
    """role -> list of users"""
    data: dict = field(default_factory=dict)
    """anything one module hands the next (e.g. ``buyers``, ``orders``)"""


def seed_all(ctx: DemoContext, log) -> None:
    for config in apps.get_app_configs():
        module = f"{config.name}.demo"
        if config.name == "helpdesk" or not find_spec(config.name) or not find_spec(module):
            continue
        import_module(module).seed(ctx)
        log(f"  {config.verbose_name} ✓")
