"""What the script library's audit events say (see audit/labels.py)."""

from django.utils.translation import gettext_lazy as _

from scripts_lib.etiquette.messages import LABELS

VERBS = {
    "script.created": _("新建话术"),
    "script.updated": _("修改话术"),
    "script.etiquette_overridden": _("不顾礼仪提示保存话术"),
}
OBJECTS = {"scripts_lib.replyscript": (_("话术"), "scripts_lib:edit")}
FIELDS = {"rules": _("礼仪规则"), "reason": _("理由")}
VALUES = {"rules": LABELS}
