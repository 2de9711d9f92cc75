from django import forms
from django.utils.translation import gettext_lazy as _


class AuditFilterForm(forms.Form):
    shop = forms.TypedChoiceField(label=_("店铺"), required=False, coerce=int, empty_value=None)
    verb = forms.CharField(label=_("操作"), required=False, max_length=60)
    actor = forms.TypedChoiceField(label=_("员工"), required=False, coerce=int, empty_value=None)
    day = forms.DateField(
        label=_("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, shops, actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shop"].choices = [("", _("全部店铺"))] + [(s.pk, s.name) for s in shops]
        self.fields["actor"].choices = [("", _("全部员工"))] + [(u.pk, u.label) for u in actors]
