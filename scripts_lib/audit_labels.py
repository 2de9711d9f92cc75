"""What the script library's audit events say (see audit/labels.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {"script.created": _("新建话术"), "script.updated": _("修改话术")}
OBJECTS = {"scripts_lib.replyscript": (_("话术"), "scripts_lib:edit")}
