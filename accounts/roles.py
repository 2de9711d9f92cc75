"""The roles a member holds in a shop, in the order authority rises (DOMAIN.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PRE_SALE = "pre_sale", _("售前客服")
    IN_SALE = "in_sale", _("售中客服")
    AFTER_SALE = "after_sale", _("售后客服")
    REVIEW_SPECIALIST = "review_specialist", _("中差评专员")
    SUPERVISOR = "supervisor", _("客服主管")
    MANAGER = "manager", _("客服经理/店长")


LADDER: list[Role] = list(Role)


def at_least(role: Role) -> frozenset[Role]:
    """Every role from ``role`` up the ladder."""
    return frozenset(LADDER[LADDER.index(role) :])


def rank(role: str) -> int:
    return LADDER.index(Role(role))
