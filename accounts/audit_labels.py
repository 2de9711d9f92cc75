"""What accounts' audit events say (see audit/labels.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "user.deactivated": _("停用账号"),
    "membership.role_set": _("设置角色"),
    "shop.settings_changed": _("修改店铺设置"),
    "user.language_set": _("切换界面语言"),
    "membership.ended": _("移出店铺"),
    "user.reactivated": _("恢复账号"),
    "user.access_revoked": _("结束登录与 API 令牌"),
    "user.api_token_rotated": _("更换 API 令牌"),
}
OBJECTS = {
    "accounts.user": (_("员工"), None),
    "accounts.shop": (_("店铺"), None),
}
FIELDS = {
    "sessions": _("登录会话数"),
    "api_tokens": _("API 令牌数"),
    "replaced": _("替换了旧令牌"),
}
