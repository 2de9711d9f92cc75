"""What KPI and quality-review audit events say (see audit/labels.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "qa.scored": _("质检评分"),
    "qa.mystery_recorded": _("记录神秘客户检查"),
    "qa.sampled": _("抽取质检样本"),
    "handover.written": _("写交接记录"),
    "handover.acknowledged": _("确认交接记录"),
    "kpi.dsr_recorded": _("记录店铺评分"),
}
OBJECTS = {
    "kpi.qareview": (_("质检"), "kpi:qa_review"),
    "kpi.handovernote": (_("交接记录"), None),
    "kpi.shopdsr": (_("店铺评分"), None),
}
FIELDS = {"week": _("周"), "created": _("新建"), "acknowledged_at": _("确认时间")}
