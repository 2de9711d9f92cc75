"""Queue row formatting."""

from django import template

register = template.Library()


@register.filter
def waited(seconds: int | None) -> str:
    """Seconds a buyer has waited as m:ss (minutes keep counting past an hour)."""
    if seconds is None:
        return ""
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"
