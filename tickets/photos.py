"""Evidence photos: images only, checked by their bytes, re-encoded without metadata
(helpdesk/images.py holds the rules shared with chat photos). The stored name is random;
the original name is not kept.
"""

from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require
from audit.services import audit
from helpdesk.images import clean_image, read_upload

from .errors import PhotoRefused, TicketError
from .models import Ticket, TicketEvent, TicketPhoto

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 12_000
MAX_PHOTOS_PER_TICKET = 12


@transaction.atomic
def photo_add(*, actor: User, ticket: Ticket, upload, now: datetime) -> TicketPhoto:
    require(actor, "tickets.work", ticket)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.photos.count() >= MAX_PHOTOS_PER_TICKET:
        raise PhotoRefused(_("每个工单最多 %(n)s 张照片。") % {"n": MAX_PHOTOS_PER_TICKET})
    image, _thumbnail = clean_image(
        read_upload(upload, max_bytes=MAX_BYTES), max_pixels=MAX_PIXELS, max_side=MAX_SIDE
    )
    photo = TicketPhoto(
        ticket=ticket,
        content_type=image.content_type,
        extension=image.extension,
        width=image.width,
        height=image.height,
        size=len(image.data),
        uploaded_by=actor,
        uploaded_at=now,
    )
    photo.file.save("upload", ContentFile(image.data), save=False)
    photo.save()
    TicketEvent.objects.create(
        ticket=ticket, kind=TicketEvent.Kind.PHOTO, actor=actor, created_at=now
    )
    audit(actor, "ticket.photo_added", ticket, changes={"photo": [None, str(photo.pk)]}, now=now)
    return photo


def chat_image_to_ticket(*, actor: User, image, ticket: Ticket, now: datetime) -> TicketPhoto:
    """Copy a buyer's chat photo to an after-sale ticket of the same buyer as evidence;
    the ticket's photo rules (formats, size, count) apply to the copy."""
    require(actor, "chats.work", image)
    conversation = image.message.conversation
    if ticket.shop_id != image.shop_id or ticket.buyer_id != conversation.buyer_id:
        raise TicketError(_("只能附到同一买家的售后工单。"))
    with image.file.open("rb") as handle:
        upload = ContentFile(handle.read(), name=f"chat.{image.extension}")
    return photo_add(actor=actor, ticket=ticket, upload=upload, now=now)
