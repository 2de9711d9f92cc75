from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DraftKind, Rating, ReviewState


class ReviewFilterForm(forms.Form):
    shop = forms.TypedChoiceField(label=_("店铺"), required=False, coerce=int, empty_value=None)
    rating = forms.ChoiceField(label=_("评价"), required=False)
    state = forms.ChoiceField(label=_("状态"), required=False)
    assignee = forms.TypedChoiceField(
        label=_("处理人"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, shops, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shop"].choices = [("", _("全部店铺"))] + [(s.pk, s.name) for s in shops]
        self.fields["rating"].choices = [("", _("中评和差评")), *Rating.choices]
        self.fields["state"].choices = [("", _("全部状态")), *ReviewState.choices]
        self.fields["assignee"].choices = [("", _("全部处理人"))] + [
            (u.pk, u.label) for u in assignees
        ]


class RegisterFilterForm(ReviewFilterForm):
    since = forms.DateField(
        label=_("评价日期从"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("到"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    extortion = forms.NullBooleanField(
        label=_("差评要挟"),
        required=False,
        widget=forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))]),
    )


class DraftForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=DraftKind.choices)
    text = forms.CharField(
        label=_("回复内容"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 500}),
    )


class ExtortionForm(forms.Form):
    note = forms.CharField(
        label=_("买家的要求"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("例如：要求全额退款，否则给差评")}),
    )
