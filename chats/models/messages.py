"""The messages of a conversation and the photos they carry."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .channels import Channel
from .conversations import Conversation

MAX_MESSAGE_LENGTH = 2000


class Sender(models.TextChoices):
    BUYER = "buyer", _("买家")
    AGENT = "agent", _("客服")
    AUTO = "auto", _("自动回复")
    SYSTEM = "system", _("系统")


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.CharField(max_length=8, choices=Sender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=MAX_MESSAGE_LENGTH)
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+")
    external_id = models.CharField(max_length=64, null=True, blank=True)
    sent_at = models.DateTimeField()
    is_internal = models.BooleanField(
        default=False, help_text="Seen by staff only (handover notes, approval answers)."
    )
    findings = models.JSONField(
        default=list, blank=True, help_text="Etiquette findings on an agent's text, kept for QA."
    )
    card = models.JSONField(
        null=True,
        blank=True,
        help_text="A product or order card sent with the text (chats/cards.py), as sent.",
    )

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"], name="one_message_per_external_id"
            )
        ]
        indexes = [models.Index(fields=["conversation", "sent_at"])]

    def __str__(self):
        return self.text[:40]


def message_image_path(image: "MessageImage", filename: str) -> str:
    return f"chats/{image.shop_id}/{image.pk.hex}.{image.extension}"


def message_thumbnail_path(image: "MessageImage", filename: str) -> str:
    return f"chats/{image.shop_id}/{image.pk.hex}-thumb.{image.extension}"


class MessageImage(models.Model):
    """A photo in a message, re-encoded without EXIF (helpdesk/images.py), stored under
    MEDIA_ROOT with a random name and served only through views that check the viewer:
    the shop's staff (chats.api.ChatImageFile) or the browser that sent it (buyer_views.image)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="images")
    position = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=message_image_path, max_length=200)
    thumbnail = models.FileField(upload_to=message_thumbnail_path, max_length=200)
    content_type = models.CharField(max_length=20)
    extension = models.CharField(max_length=5)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["message_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "position"], name="one_image_per_message_position"
            )
        ]
