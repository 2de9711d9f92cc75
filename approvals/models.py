from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApprovalKind(models.TextChoices):
    DISCOUNT = "discount", _("优惠申请")
    COMPENSATION = "compensation", _("补偿申请")
    REFUND = "refund", _("退款审批")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("已拒绝")


class ApprovalRequest(models.Model):
    """A request that needs a supervisor's decision: a discount beyond an agent's authority,
    a compensation or refund above the role's limit. ``subject_type``/``subject_id`` name the
    conversation or ticket it came from; the app that owns the subject registers a handler
    that runs when the request is decided (``approvals.services.on_decided``)."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类型"), max_length=20, choices=ApprovalKind.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2)
    reason = models.TextField(_("理由"), max_length=1000)
    subject_type = models.CharField(max_length=60)
    subject_id = models.CharField(max_length=40)
    subject_label = models.CharField(max_length=200)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(_("审批意见"), max_length=1000, blank=True)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["shop", "status", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} ¥{self.amount} ({self.subject_label})"


class Notification(models.Model):
    """A message to one member of staff inside the helpdesk (e.g. an approval's answer)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self):
        return self.text
