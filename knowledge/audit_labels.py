"""What the knowledge base's audit events say (see audit/labels.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "knowledge.created": _("新建知识条目"),
    "knowledge.updated": _("修改知识条目"),
    "knowledge.toggled": _("启用/停用知识条目"),
    "knowledge.imported": _("导入知识库"),
    "knowledge.auto_answer": _("切换夜间自动回答"),
    "knowledge.auto_answered": _("自动回答买家"),
}
OBJECTS = {
    "knowledge.knowledgeentry": (_("知识条目"), "knowledge:edit"),
    "knowledge.autoanswersetting": (_("自动回答设置"), None),
}
