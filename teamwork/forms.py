from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RoutingPriority, TagColour, WebhookEvent


class WebhookEndpointForm(forms.Form):
    url = forms.CharField(label=_("接收地址"), max_length=500)
    events = forms.MultipleChoiceField(
        label=_("事件"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )


class TagForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=20)
    colour = forms.ChoiceField(label=_("颜色"), choices=TagColour.choices)
    description = forms.CharField(label=_("说明"), max_length=200, required=False)


WEEKDAYS = [
    (0, _("周一")),
    (1, _("周二")),
    (2, _("周三")),
    (3, _("周四")),
    (4, _("周五")),
    (5, _("周六")),
    (6, _("周日")),
]


class AgentGroupForm(forms.Form):
    name = forms.CharField(label=_("分组名称"), max_length=40)
    members = forms.ModelMultipleChoiceField(
        label=_("成员"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, shop, group=None, **kwargs):
        from accounts.models import User

        if group is not None:
            kwargs.setdefault("initial", {"name": group.name, "members": list(group.members.all())})
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = User.objects.filter(
            memberships__shop=shop, is_active=True
        ).order_by("work_number", "pk")
        self.fields["members"].label_from_instance = lambda user: user.label


class RoutingRuleForm(forms.Form):
    name = forms.CharField(label=_("规则名称"), max_length=60)
    keywords = forms.CharField(
        label=_("首条消息关键词（逗号分隔，任一命中）"), required=False, max_length=500
    )
    product_terms = forms.CharField(
        label=_("商品标题或类目词（逗号分隔）"), required=False, max_length=500
    )
    buyer_tag = forms.ModelChoiceField(label=_("买家标签"), queryset=None, required=False)
    channel = forms.ModelChoiceField(label=_("渠道"), queryset=None, required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("星期（不选为每天）"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(label=_("开始时间"), required=False)
    end_time = forms.TimeField(label=_("结束时间"), required=False)
    group = forms.ModelChoiceField(label=_("分给客服分组"), queryset=None)
    priority = forms.TypedChoiceField(
        label=_("优先级"), choices=RoutingPriority.choices, coerce=int, initial=2
    )
    examples = forms.CharField(
        label=_("示例消息（每行一条，保存时检验它们会被这条规则处理）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, shop, rule=None, **kwargs):
        from chats.models import Channel

        from .models import AgentGroup, Tag

        if rule is not None:
            kwargs.setdefault("initial", _rule_initial(rule))
        super().__init__(*args, **kwargs)
        self.fields["buyer_tag"].queryset = Tag.objects.filter(team_id=shop.team_id)
        self.fields["channel"].queryset = Channel.objects.filter(shop=shop)
        self.fields["group"].queryset = AgentGroup.objects.filter(shop=shop)


def _rule_initial(rule) -> dict:
    return {
        "name": rule.name,
        "keywords": ", ".join(rule.keywords),
        "product_terms": ", ".join(rule.product_terms),
        "buyer_tag": rule.buyer_tag_id,
        "channel": rule.channel_id,
        "weekdays": rule.weekdays,
        "start_time": rule.start_time,
        "end_time": rule.end_time,
        "group": rule.group_id,
        "priority": rule.priority,
        "examples": rule.examples,
    }


class RoutingTestForm(forms.Form):
    text = forms.CharField(label=_("买家的第一条消息"), max_length=500)
    at = forms.DateTimeField(label=_("时间（默认现在）"), required=False)
