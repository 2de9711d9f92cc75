"""What reviews' audit events say (see audit/labels.py)."""

from django.utils.translation import gettext_lazy as _

from .states import ACTION_LABELS

VERBS = {
    "review.assigned": _("分配中差评"),
    "review.draft_saved": _("保存回复草稿"),
    "review.extortion_marked": _("标记为恶意索要"),
    "review.evidence_pack_downloaded": _("下载申诉证据包"),
    "review.evidence_selected": _("选择证据消息"),
    "reviews.imported": _("导入评价表"),
}
FAMILIES = {"review.": ACTION_LABELS}
OBJECTS = {"reviews.review": (_("评价"), "reviews:detail")}
FIELDS = {"draft": _("回复草稿"), "evidence": _("证据"), "messages": _("消息")}
