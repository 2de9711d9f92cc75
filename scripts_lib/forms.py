from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Shop

from .models import ScriptCategory
from .services import ScriptData

TEAM_SCOPE_PREFIX = "team:"
SHOP_SCOPE_PREFIX = "shop:"


def scope_choices(shops: list[Shop]) -> list[tuple[str, str]]:
    """Where a script may be saved: the team of each shop (team-wide) or one shop."""
    choices, seen_teams = [], set()
    for shop in shops:
        if shop.team_id not in seen_teams:
            seen_teams.add(shop.team_id)
            choices.append(
                (
                    f"{TEAM_SCOPE_PREFIX}{shop.team_id}",
                    _("全团队通用（%(team)s）") % {"team": shop.team.name},
                )
            )
    choices += [
        (f"{SHOP_SCOPE_PREFIX}{shop.code}", _("仅本店：%(shop)s") % {"shop": shop.name})
        for shop in shops
    ]
    return choices


def resolve_scope(value: str, shops: list[Shop]):
    """(team, shop or None) for a scope value among the user's shops; None if not one."""
    for shop in shops:
        if value == f"{SHOP_SCOPE_PREFIX}{shop.code}":
            return shop.team, shop
        if value == f"{TEAM_SCOPE_PREFIX}{shop.team_id}":
            return shop.team, None
    return None


class ScopeForm(forms.Form):
    scope = forms.ChoiceField(label=_("适用范围"))

    def __init__(self, *args, shops: list[Shop], **kwargs):
        super().__init__(*args, **kwargs)
        self.shops = shops
        self.fields["scope"].choices = scope_choices(shops)

    def clean_scope(self):
        resolved = resolve_scope(self.cleaned_data["scope"], self.shops)
        if resolved is None:
            raise forms.ValidationError(_("请选择适用范围。"))
        return resolved


class ScriptForm(forms.Form):
    """A script's own fields (editing keeps the scope the script was created with)."""

    category = forms.ChoiceField(label=_("分类"), choices=ScriptCategory.choices)
    title = forms.CharField(label=_("标题"), max_length=60)
    code = forms.CharField(
        label=_("快捷码"), max_length=20, help_text=_("在聊天输入框里输入 /快捷码 即可调出。")
    )
    body = forms.CharField(
        label=_("内容"),
        max_length=1000,
        widget=forms.Textarea(
            attrs={
                "rows": 5,
                "hx-post": reverse_lazy("scripts_lib:check"),
                "hx-trigger": "input changed delay:400ms, load",
                "hx-target": "#body-check",
                "hx-sync": "this:replace",
            }
        ),
        help_text=_("输入时会自动检查礼仪问题。"),
    )
    position = forms.IntegerField(label=_("排序"), min_value=0, max_value=32767, initial=0)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    override_reason = forms.CharField(
        label=_("仍要保存的理由"),
        max_length=200,
        required=False,
        help_text=_("话术未通过礼仪检查时，填写理由才能保存；理由会记入审计日志。"),
    )

    def script_data(self) -> ScriptData:
        data = self.cleaned_data
        return ScriptData(
            category=data["category"],
            title=data["title"],
            code=data["code"],
            body=data["body"],
            is_active=data["is_active"],
            position=data["position"],
            override_reason=data.get("override_reason", ""),
        )


class ScriptCreateForm(ScopeForm, ScriptForm):
    field_order = [
        "scope",
        "category",
        "title",
        "code",
        "body",
        "position",
        "is_active",
        "override_reason",
    ]


class ImportForm(ScopeForm):
    file = forms.FileField(label=_("文件（XLSX 或 CSV）"))
