"""The queue row's preview of a conversation's latest message.

The preview is stored on the conversation (``last_message_preview``) so the queue reads no
messages. A message's own words are stored as they are (``preview_of``); a message that is
only images stores the fixed marker ``IMAGE_PREVIEW`` (whoever reads the queue later may
read another language than the writer's), and the queue renders it in the reader's
language (the ``queue_preview`` filter in chat_queue.py). A preview made
from text never equals the marker unless the text is exactly "[图片]", which then reads as
a photo too (the platform's own chat writes images that way)."""

from django.utils.translation import gettext as _

from .models import preview_of

IMAGE_PREVIEW = "[图片]"


def message_preview(text: str, *, with_images: bool) -> str:
    """What to store for a message with ``text`` (possibly empty) and maybe images."""
    return preview_of(text) or (IMAGE_PREVIEW if with_images else "")


def preview_for_reader(stored: str) -> str:
    """The stored preview in the active language."""
    if stored == IMAGE_PREVIEW:
        return _("[图片]")
    return stored
