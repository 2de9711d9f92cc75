"""Requests to the courier after shipping: redirect or withdraw the parcel (改签/撤件)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .orders import Order
from .problems import Problem


class CourierRequestKind(models.TextChoices):
    REDIRECT = "redirect", _("改签（改派地址）")
    WITHDRAW = "withdraw", _("撤件（拦截退回）")


class CourierRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("已提交快递")
    DONE = "done", _("快递已处理")
    FAILED = "failed", _("拦截失败")


class CourierRequest(models.Model):
    """An address change after shipping: the courier is asked to redirect or withdraw the
    parcel (改签/撤件). The agent files it with the courier and records the answer here."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="courier_requests")
    problem = models.ForeignKey(
        Problem, null=True, blank=True, on_delete=models.SET_NULL, related_name="courier_requests"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=CourierRequestKind.choices)
    courier = models.CharField(_("物流公司"), max_length=40, blank=True)
    tracking_number = models.CharField(_("物流单号"), max_length=40, blank=True)
    new_address = models.CharField(_("新地址"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=CourierRequestStatus.choices,
        default=CourierRequestStatus.REQUESTED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
