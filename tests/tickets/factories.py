import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from orders.states import OrderState
from tests.factories import make_buyer, make_order
from tickets.models import Ticket
from tickets.services import ticket_create
from tickets.states import ORDER_OPTIONAL_TYPES


def received_order(shop, now, days_ago=2, **fields):
    fields.setdefault("state", OrderState.FINISHED)
    fields.setdefault("shipped_at", now - timedelta(days=days_ago + 2))
    fields.setdefault("received_at", now - timedelta(days=days_ago))
    return make_order(shop, **fields)


def make_ticket(shop, type, now, *, actor=None, order=None, with_order=True, **fields) -> Ticket:
    if order is None and (with_order or type not in ORDER_OPTIONAL_TYPES):
        order = received_order(shop, now)
    buyer = order.buyer if order else make_buyer(shop)
    return ticket_create(
        actor=actor, shop=shop, type=type, buyer=buyer, order=order, now=now, **fields
    )


def image_upload(name="photo.jpg", size=(64, 48), fmt="JPEG", exif=None) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 80, 40))
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **options)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png"}[fmt]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)
