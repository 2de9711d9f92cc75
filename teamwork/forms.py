from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TagColour, WebhookEvent


class WebhookEndpointForm(forms.Form):
    url = forms.CharField(label=_("接收地址"), max_length=500)
    events = forms.MultipleChoiceField(
        label=_("事件"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )


class TagForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=20)
    colour = forms.ChoiceField(label=_("颜色"), choices=TagColour.choices)
    description = forms.CharField(label=_("说明"), max_length=200, required=False)
