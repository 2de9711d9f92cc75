"""Channels: where buyer messages come from and agent messages leave through."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_channel_secret() -> str:
    return secrets.token_hex(32)


class ChannelKind(models.TextChoices):
    WEBCHAT = "webchat", _("网页聊天")
    BRIDGE = "bridge", _("平台消息桥")

    @property
    def proves_identity(self) -> bool:
        """Whether a message from this kind of channel is known to come from the buyer the
        nick names. The bridge relays the platform's own chat, signed, with the nick the
        platform logged in; on the web chat page the visitor types any nick they like."""
        return self == ChannelKind.BRIDGE


class Channel(models.Model):
    """Where buyer messages come from and agent messages leave through."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="channels")
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=ChannelKind.choices)
    secret = models.CharField(max_length=64, default=new_channel_secret)
    webhook_url = models.URLField(_("回调地址"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "消息渠道"

    def __str__(self):
        return f"{self.shop.code}/{self.name}"
