"""Catalogue and library images: the chat photo rules (chats.media: formats, 5 MB,
2560 px, 320 px thumbnails) applied to a supervisor's upload, and the stored pair read
back as the ``ChatImage`` that sending copies onto a message."""

from django.core.files.base import ContentFile

from chats.media import (
    FORMATS,
    MAX_IMAGE_BYTES,
    MAX_PIXELS,
    MAX_SIDE,
    STORED_SIDE,
    THUMBNAIL_SIDE,
    ChatImage,
)
from helpdesk.images import FORMATS as IMAGE_FORMATS
from helpdesk.images import CleanImage, clean_image, read_upload

from .models import StoredImage

FORMAT_OF_EXTENSION = {extension: fmt for fmt, (_type, extension) in IMAGE_FORMATS.items()}


def upload_clean(upload) -> ChatImage:
    """Re-encode an uploaded file, or raise ImageRefused (ImageTooLarge over 5 MB)."""
    data = read_upload(upload, max_bytes=MAX_IMAGE_BYTES)
    image, thumbnail = clean_image(
        data,
        formats=FORMATS,
        max_pixels=MAX_PIXELS,
        max_side=MAX_SIDE,
        fit=STORED_SIDE,
        thumbnail=THUMBNAIL_SIDE,
    )
    return ChatImage(image, thumbnail)


def store(row: StoredImage, image: ChatImage) -> list[str]:
    """Put ``image`` on ``row`` (not saved); returns the names of the files it replaced,
    to delete once the change is committed."""
    replaced = [f.name for f in (row.file, row.thumbnail) if f]
    row.content_type = image.image.content_type
    row.extension = image.image.extension
    row.width = image.image.width
    row.height = image.image.height
    row.file.save("image", ContentFile(image.image.data), save=False)
    row.thumbnail.save("thumbnail", ContentFile(image.thumbnail.data), save=False)
    return replaced


def stored_image(row: StoredImage) -> ChatImage:
    """The stored, already re-encoded pair, to copy onto a chat message as it is."""
    fmt = FORMAT_OF_EXTENSION[row.extension]

    def read(field) -> bytes:
        with field.open("rb") as handle:
            return handle.read()

    full = read(row.file)
    small = read(row.thumbnail)
    return ChatImage(
        CleanImage(full, fmt, row.width, row.height),
        # The thumbnail's own size is not kept; the pane draws it by CSS.
        CleanImage(small, fmt, row.width, row.height),
    )


def delete_files(storage, names: list[str]) -> None:
    for name in names:
        if name:
            storage.delete(name)
