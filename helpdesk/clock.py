"""The helpdesk's one clock.

Views, API views, commands and jobs read the moment of a request or run here and pass it
down as ``now``; services and selectors never read a clock of their own. Tests move this
clock with time-machine (``tests/conftest.py``), so nothing depends on the real date.
"""

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    """The current moment, timezone-aware (UTC)."""
    return timezone.now()
