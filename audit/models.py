from django.conf import settings
from django.db import models

from helpdesk.keyset import Keyset

# The audit log's pages: newest first, walked by keyset (helpdesk/keyset.py).
AUDIT_PAGES = Keyset(name="audit", field="created_at")


class AuditEvent(models.Model):
    """One state change made through a service: who, in which shop, what, before/after."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shop = models.ForeignKey(
        "accounts.Shop", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=200)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["shop", "-created_at"]),
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["verb", "-created_at"]),
            AUDIT_PAGES.index("shop", name="audit_shop_newest"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb} {self.object_repr}"
