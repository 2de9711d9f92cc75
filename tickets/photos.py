"""Evidence photos: images only, checked by their bytes, re-encoded without metadata.

What is refused, with a message: anything Pillow cannot identify as JPEG, PNG or WebP
(whatever its name says — a PHP script named .jpg is not an image), files over
MAX_BYTES, images over MAX_PIXELS or MAX_SIDE (a decompression bomb declares a huge size
in a tiny file; the size is read from the header and refused before any pixel is decoded).
Accepted images are decoded, turned upright by their EXIF orientation, and written anew,
so EXIF (GPS position, camera serial) and anything appended to the file are dropped. The
stored name is random; the original name is not kept.
"""

import io
import warnings
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from accounts.models import User
from accounts.permissions import require
from audit.services import audit

from .errors import PhotoRefused
from .models import Ticket, TicketEvent, TicketPhoto

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 12_000
MAX_PHOTOS_PER_TICKET = 12
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}


def _read(upload) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise PhotoRefused(_("图片不能超过 %(mb)s MB。") % {"mb": MAX_BYTES // 1024 // 1024})
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise PhotoRefused(_("图片不能超过 %(mb)s MB。") % {"mb": MAX_BYTES // 1024 // 1024})
    if not data:
        raise PhotoRefused(_("文件是空的。"))
    return data


def clean_image(data: bytes) -> tuple[bytes, str, int, int]:
    """Return (re-encoded bytes, Pillow format, width, height) or raise PhotoRefused."""
    not_image = PhotoRefused(_("只能上传 JPG、PNG 或 WebP 图片，该文件不是图片。"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data))
            fmt = probe.format
            width, height = probe.size
            if fmt not in FORMATS:
                raise not_image
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                raise PhotoRefused(
                    _("图片尺寸过大（%(w)s×%(h)s），请压缩后再上传。") % {"w": width, "h": height}
                )
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoRefused(_("图片尺寸异常，已拒绝。")) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise not_image from None
    image = ImageOps.exif_transpose(image)
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    save_options = {"quality": 88} if fmt in ("JPEG", "WEBP") else {}
    image.save(out, format=fmt, **save_options)
    return out.getvalue(), fmt, image.width, image.height


@transaction.atomic
def photo_add(*, actor: User, ticket: Ticket, upload, now: datetime) -> TicketPhoto:
    require(actor, "tickets.work", ticket)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.photos.count() >= MAX_PHOTOS_PER_TICKET:
        raise PhotoRefused(_("每个工单最多 %(n)s 张照片。") % {"n": MAX_PHOTOS_PER_TICKET})
    data, fmt, width, height = clean_image(_read(upload))
    content_type, extension = FORMATS[fmt]
    photo = TicketPhoto(
        ticket=ticket,
        content_type=content_type,
        extension=extension,
        width=width,
        height=height,
        size=len(data),
        uploaded_by=actor,
        uploaded_at=now,
    )
    photo.file.save("upload", ContentFile(data), save=False)
    photo.save()
    TicketEvent.objects.create(
        ticket=ticket, kind=TicketEvent.Kind.PHOTO, actor=actor, created_at=now
    )
    audit(actor, "ticket.photo_added", ticket, changes={"photo": [None, str(photo.pk)]}, now=now)
    return photo
