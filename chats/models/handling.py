"""What agents record while handling a conversation: transfer notes and price concessions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .conversations import Conversation, Queue


class Handover(models.Model):
    """A transfer note (交接): who, on which channel, why, what they want, what to do."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="handovers"
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_queue = models.CharField(max_length=12, choices=Queue.choices)
    to_queue = models.CharField(max_length=12, choices=Queue.choices)
    reason = models.CharField(_("原因"), max_length=300)
    wants = models.CharField(_("买家诉求"), max_length=300)
    todo = models.CharField(_("需要做什么"), max_length=300)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]


class ConcessionKind(models.TextChoices):
    ERASE = "erase", _("抹零")
    DISCOUNT_REQUEST = "discount_request", _("优惠申请")


class Concession(models.Model):
    """A price concession in a conversation: a 抹零 within the agent's own authority, or a
    larger discount sent to the supervisors (then ``approval`` holds their answer)."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="concessions"
    )
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ConcessionKind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.CharField(max_length=300, blank=True)
    approval = models.OneToOneField(
        "approvals.ApprovalRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["agent", "shop", "kind", "created_at"])]
