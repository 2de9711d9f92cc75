from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_INTERVAL_MINUTES


class ScheduleForm(forms.Form):
    every_minutes = forms.IntegerField(
        label=_("每隔(分钟)"), min_value=1, max_value=MAX_INTERVAL_MINUTES
    )
    enabled = forms.BooleanField(label=_("启用"), required=False)
