"""What notes', tags', routing rules' and webhooks' audit events say (see audit/labels.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "conversation.routed": _("按分流规则分配"),
    "note.added": _("写内部备注"),
    "tag.created": _("新建标签"),
    "tag.updated": _("修改标签"),
    "tag.deleted": _("删除标签"),
    "tag.added": _("打标签"),
    "tag.removed": _("去掉标签"),
    "routing_rule.created": _("新建分流规则"),
    "routing_rule.deleted": _("删除分流规则"),
    "routing_rule.moved": _("调整分流规则顺序"),
    "routing_rule.updated": _("修改分流规则"),
    "agent_group.created": _("新建客服分组"),
    "agent_group.updated": _("修改客服分组"),
    "webhook.created": _("登记 Webhook"),
    "webhook.enabled": _("启用 Webhook"),
    "webhook.disabled": _("停用 Webhook"),
    "webhook.test_sent": _("发送测试 Webhook"),
}
OBJECTS = {
    "teamwork.note": (_("内部备注"), None),
    "teamwork.tag": (_("标签"), None),
    "teamwork.routingrule": (_("分流规则"), None),
    "teamwork.agentgroup": (_("客服分组"), None),
    "teamwork.webhookendpoint": (_("Webhook"), None),
}
FIELDS = {"members": _("成员"), "rule": _("规则"), "group": _("分给")}
