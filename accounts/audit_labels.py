"""What accounts' audit events say (see audit/labels.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "user.deactivated": _("停用账号"),
    "membership.role_set": _("设置角色"),
    "shop.settings_changed": _("修改店铺设置"),
    "user.language_set": _("切换界面语言"),
}
OBJECTS = {
    "accounts.user": (_("员工"), None),
    "accounts.shop": (_("店铺"), None),
}
