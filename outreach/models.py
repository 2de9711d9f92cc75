"""What the scheduled messaging jobs decided, kept per order for "never twice" and for KPIs.

The outbox row (chats.OutboxMessage) is the message; these rows are the business facts
around it: when a reminder went out and whether it worked, when a parcel should have
arrived and whether its delay was reported.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    """One payment reminder (催付) per order.

    ``succeeded`` (催付成功) is set when the order turns out paid within 24 hours after
    ``sent_at``; the payment_reminders job settles it on each run, whenever the payment
    arrives through an import. ``agent`` is the pre-sale agent the reminder is credited to
    (see ``outreach.reminders.attributed_agent``); None when no agent served the buyer.
    """

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    order = models.OneToOneField(
        "orders.Order", on_delete=models.CASCADE, related_name="payment_reminder"
    )
    outbox = models.OneToOneField(
        "chats.OutboxMessage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="payment_reminder",
        help_text="Kept for KPIs even if the message row is purged.",
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("归属客服"),
    )
    sent_at = models.DateTimeField(_("催付时间"))
    paid_at = models.DateTimeField(_("付款时间"), null=True, blank=True)
    succeeded = models.BooleanField(_("催付成功"), default=False)

    class Meta:
        verbose_name = verbose_name_plural = "催付记录"
        indexes = [
            models.Index(fields=["shop", "sent_at"]),
            models.Index(fields=["agent", "sent_at"]),
        ]

    def __str__(self):
        return f"催付 {self.order_id}"


class FollowUp(models.Model):
    """The delivery follow-up (回访) record of one shipped order.

    Written when the job first acts on the order; its timestamps say what was done, so
    each step (shipping notice, follow-up, review thanks, delay report) happens once even if an agent later
    resolves the problem it opened."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="follow_up")
    region = models.CharField(_("时效区域"), max_length=20)
    expected_at = models.DateTimeField(_("预计到达"))
    shipping_noticed_at = models.DateTimeField(_("发货通知时间"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    receipt_asked_at = models.DateTimeField(_("签收回访时间"), null=True, blank=True)
    thanked_at = models.DateTimeField(_("好评感谢时间"), null=True, blank=True)
    delay_reported_at = models.DateTimeField(_("超时上报时间"), null=True, blank=True)
    delay_problem = models.ForeignKey(
        "orders.Problem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "回访记录"
        indexes = [models.Index(fields=["shop", "expected_at"])]

    def __str__(self):
        return f"回访 {self.order_id}"
