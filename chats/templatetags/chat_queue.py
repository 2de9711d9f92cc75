"""Queue row formatting."""

from django import template

from chats.previews import preview_for_reader

register = template.Library()


@register.filter
def waited(seconds: int | None) -> str:
    """Seconds a buyer has waited as m:ss (minutes keep counting past an hour)."""
    if seconds is None:
        return ""
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


@register.filter
def queue_preview(stored: str) -> str:
    """The stored preview of the latest message, its photo marker in the reader's language."""
    return preview_for_reader(stored)
