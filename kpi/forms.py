from django import forms
from django.utils.translation import gettext_lazy as _

from .models import HandoverNote
from .qa import RUBRIC


class QaScoreForm(forms.Form):
    """One integer field per rubric item (0..points), plus the supervisor's comment."""

    comment = forms.CharField(
        label=_("点评"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, initial_scores: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        scores = initial_scores or {}
        for item in RUBRIC:
            self.fields[item.key] = forms.IntegerField(
                label=f"{item.label}（{item.points}）",
                min_value=0,
                max_value=item.points,
                initial=scores.get(item.key),
                help_text=item.guide,
            )
        self.order_fields([item.key for item in RUBRIC] + ["comment"])

    def scores(self) -> dict:
        return {item.key: self.cleaned_data[item.key] for item in RUBRIC}


class HandoverForm(forms.ModelForm):
    class Meta:
        model = HandoverNote
        fields = ["shift_date", "shift", "buyer_nick", "channel", "cause", "wish", "todo"]
        widgets = {
            "shift_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "todo": forms.Textarea(attrs={"rows": 3}),
        }


class DsrForm(forms.Form):
    """Today's DSR as the seller centre shows it; the scores are checked by the service
    (kpi.dsr.parse_score), which the import uses too."""

    day = forms.DateField(
        label=_("日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    description = forms.CharField(label=_("描述相符"), max_length=8)
    service = forms.CharField(label=_("服务态度"), max_length=8)
    logistics = forms.CharField(label=_("物流服务"), max_length=8)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("description", "service", "logistics"):
            self.fields[name].widget.attrs.update(
                {"inputmode": "decimal", "placeholder": "4.80", "autocomplete": "off"}
            )
