"""Photos in chat messages: the caps, re-encoding (helpdesk/images.py, shared with ticket
photos), storage, the reads that authorize viewing them, and copying one to a ticket.

Images are re-encoded before any transaction opens (it is the slow part) and stored in the
transaction that stores their message. A stored image is at most STORED_SIDE pixels on its
long side (a chat photo is for looking at; a JPEG twice that size or more is decoded at a
reduced scale) with a THUMBNAIL_SIDE copy for the pane. bench/media.py measures the cost."""

from dataclasses import dataclass
from datetime import datetime

from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import restrict
from helpdesk.images import CleanImage, ImageRefused, clean_image, too_large

from .errors import InvalidMessage
from .models import Message, MessageImage

MAX_IMAGES_PER_MESSAGE = 4
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 12_000
STORED_SIDE = 2560
THUMBNAIL_SIDE = 320
FORMATS = ("JPEG", "PNG", "WEBP", "GIF")


@dataclass(frozen=True)
class ChatImage:
    """A re-encoded image ready to store with its message."""

    image: CleanImage
    thumbnail: CleanImage


def chat_image_clean(data: bytes, *, field: str) -> ChatImage:
    """Re-encode one uploaded image, or raise InvalidMessage naming ``field`` (413 when it
    is over the byte cap, 400 when it is not a real JPEG/PNG/WebP/GIF)."""
    if len(data) > MAX_IMAGE_BYTES:
        raise InvalidMessage(str(too_large(MAX_IMAGE_BYTES)), field=field, status_code=413)
    if not data:
        raise InvalidMessage(_("文件是空的。"), field=field)
    try:
        image, thumbnail = clean_image(
            data,
            formats=FORMATS,
            max_pixels=MAX_PIXELS,
            max_side=MAX_SIDE,
            fit=STORED_SIDE,
            thumbnail=THUMBNAIL_SIDE,
        )
    except ImageRefused as error:
        raise InvalidMessage(str(error), field=field, status_code=error.status_code) from None
    return ChatImage(image, thumbnail)


def check_image_count(images) -> None:
    if len(images) > MAX_IMAGES_PER_MESSAGE:
        raise InvalidMessage(
            _("每条消息最多 %(n)s 张图片。") % {"n": MAX_IMAGES_PER_MESSAGE}, field="images"
        )


def message_images_store(*, message: Message, images: list[ChatImage], now: datetime) -> None:
    """Store the message's images (inside the transaction that stored the message)."""
    shop_id = message.conversation.shop_id
    for position, item in enumerate(images):
        row = MessageImage(
            shop_id=shop_id,
            message=message,
            position=position,
            content_type=item.image.content_type,
            extension=item.image.extension,
            width=item.image.width,
            height=item.image.height,
            size=len(item.image.data),
            created_at=now,
        )
        row.file.save("image", ContentFile(item.image.data), save=False)
        row.thumbnail.save("thumbnail", ContentFile(item.thumbnail.data), save=False)
        row.save()


def images_visible_to(user: User) -> QuerySet[MessageImage]:
    """Images of conversations the user may work: the shop's staff, nobody else."""
    return restrict(MessageImage.objects.all(), user, "chats.work")


def access_chat_image(user: User, pk) -> MessageImage:
    try:
        return images_visible_to(user).select_related("message__conversation").get(pk=pk)
    except MessageImage.DoesNotExist:
        raise Http404 from None


def image_filename(image: MessageImage, *, thumbnail: bool = False) -> str:
    suffix = "-thumb" if thumbnail else ""
    return f"chat-{image.message.conversation_id}-{image.pk.hex[:8]}{suffix}.{image.extension}"
