"""The shop's knowledge base (问答知识库): questions buyers ask, the answer, and which
products an answer applies to; plus the shop's automatic-answer setting and its log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_ANSWER_LENGTH = 1000


class KnowledgeEntry(models.Model):
    shop = models.ForeignKey(
        "accounts.Shop", on_delete=models.CASCADE, related_name="knowledge_entries"
    )
    key = models.CharField(_("编号"), max_length=40, help_text=_("店铺内唯一，导入时据此更新。"))
    question = models.CharField(_("问题"), max_length=200)
    phrasings = models.JSONField(_("相似问法"), default=list, blank=True)
    answer = models.TextField(_("答案"), max_length=MAX_ANSWER_LENGTH)
    products = models.JSONField(
        _("适用商品"),
        default=list,
        blank=True,
        help_text=_("商品标题或商家编码；留空表示全店通用。"),
    )
    category = models.CharField(_("分类"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "知识库条目"
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "key"], name="unique_knowledge_key_per_shop")
        ]
        indexes = [models.Index(fields=["shop", "updated_at"])]

    def __str__(self):
        return f"{self.key} {self.question}"

    def applies_to(self, item: str) -> bool:
        """Entries without products apply to every item; others when a product's title or
        商家编码 is part of the item (or the item part of it)."""
        if not self.products:
            return True
        item = (item or "").strip().lower()
        if not item:
            return False
        return any(p.lower() in item or item in p.lower() for p in self.products if p)


class AutoAnswerSetting(models.Model):
    """Whether the shop answers confident knowledge questions by itself outside its
    business hours or while no agent is online."""

    shop = models.OneToOneField(
        "accounts.Shop", on_delete=models.CASCADE, related_name="auto_answer_setting"
    )
    enabled = models.BooleanField(_("非服务时间自动答复"), default=False)
    updated_at = models.DateTimeField()


class AutoAnswer(models.Model):
    """One automatic answer to one buyer message (the unique message makes it once)."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        "chats.Conversation", on_delete=models.CASCADE, related_name="+"
    )
    buyer_message = models.OneToOneField(
        "chats.Message", on_delete=models.CASCADE, related_name="+"
    )
    reply = models.ForeignKey(
        "chats.Message", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entry = models.ForeignKey(KnowledgeEntry, null=True, on_delete=models.SET_NULL)
    score = models.FloatField()
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["shop", "-created_at"])]
