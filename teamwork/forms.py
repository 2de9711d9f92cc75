from django import forms
from django.utils.translation import gettext_lazy as _

from .models import WebhookEvent


class WebhookEndpointForm(forms.Form):
    url = forms.CharField(label=_("接收地址"), max_length=500)
    events = forms.MultipleChoiceField(
        label=_("事件"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )
