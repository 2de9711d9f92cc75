"""Whether an agent takes new conversations now."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PresenceStatus(models.TextChoices):
    ONLINE = "online", _("在线")
    BUSY = "busy", _("挂起")
    AWAY = "away", _("离开")


class AgentPresence(models.Model):
    """Whether an agent takes new conversations now. Absent row = away. Busy (挂起):
    still at work, keeps their conversations and may claim by hand, but automatic
    assignment passes them by."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_presence"
    )
    status = models.CharField(
        max_length=8, choices=PresenceStatus.choices, default=PresenceStatus.AWAY
    )
    changed_at = models.DateTimeField()
    last_assigned_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Last poll of the workspace; a closed tab stops assignment.",
    )

    def __str__(self):
        return f"{self.user} {self.status}"
