from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Buyer, CancelReason, MemoFlag, ProblemCategory, ProblemState
from .services import DuplicateDecision, StockChoice
from .states import OrderState

PER_PAGE_CHOICES = [(50, "50"), (20, "20"), (100, "100")]


class ShopChoiceMixin:
    def set_shops(self, shops):
        self.fields["shop"].choices = [("", _("全部店铺"))] + [(s.pk, s.name) for s in shops]


class OrderFilterForm(ShopChoiceMixin, forms.Form):
    shop = forms.TypedChoiceField(label=_("店铺"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(
        label=_("订单状态"), required=False, choices=[("", _("全部状态")), *OrderState.choices]
    )
    buyer = forms.CharField(label=_("买家昵称"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("下单起"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("下单止"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, shops=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_shops(shops)
        self.fields["buyer"].widget.attrs["data-hotkey-search"] = ""


class ProblemFilterForm(ShopChoiceMixin, forms.Form):
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部类别")), *ProblemCategory.choices]
    )
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("处理中（全部）")), *ProblemState.choices, ("all", _("全部"))],
    )
    shop = forms.TypedChoiceField(label=_("店铺"), required=False, coerce=int, empty_value=None)
    assignee = forms.ChoiceField(label=_("负责人"), required=False)
    overdue = forms.BooleanField(label=_("只看已超时"), required=False)
    per_page = forms.TypedChoiceField(
        label=_("每页"), required=False, coerce=int, choices=PER_PAGE_CHOICES, empty_value=50
    )
    import_run = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, shops=(), assignees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_shops(shops)
        self.fields["assignee"].choices = [
            ("", _("全部")),
            ("me", _("我的")),
            ("none", _("未认领")),
        ] + [(str(u.pk), u.label) for u in assignees]


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=20)
    reason = forms.CharField(required=False, max_length=300)
    cancel_reason = forms.ChoiceField(required=False, choices=[("", ""), *CancelReason.choices])


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("备注"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("备注内容，打包的同事会看到")}),
    )
    flag = forms.ChoiceField(label=_("旗帜"), choices=MemoFlag.choices, initial=MemoFlag.RED)


class AddressForm(forms.Form):
    receiver_name = forms.CharField(label=_("收货人"), required=False, max_length=64)
    mobile = forms.CharField(label=_("手机"), required=False, max_length=32)
    province = forms.CharField(label=_("省"), max_length=32)
    city = forms.CharField(label=_("市"), max_length=32)
    district = forms.CharField(label=_("区/县"), max_length=32)
    detail = forms.CharField(label=_("详细地址"), max_length=200)
    postcode = forms.CharField(label=_("邮编"), required=False, max_length=10)
    withdraw = forms.BooleanField(label=_("已发货时申请撤件（而非改签）"), required=False)


class StockOfferForm(forms.Form):
    similar_sku = forms.TypedChoiceField(
        label=_("推荐相似款"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, skus=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["similar_sku"].choices = [("", "—")] + [
            (s.pk, f"{s}（{s.stock}）") for s in skus if s.stock > 0
        ]


class StockChoiceForm(StockOfferForm):
    choice = forms.ChoiceField(label=_("买家选择"), choices=StockChoice.choices)
    sku = forms.TypedChoiceField(label=_("缺货商品"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, skus=(), **kwargs):
        super().__init__(*args, skus=skus, **kwargs)
        self.fields["sku"].choices = [("", "—")] + [(s.pk, str(s)) for s in skus]


class CodForm(forms.Form):
    consent = forms.TypedChoiceField(
        label=_("买家意见"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("同意货到付款")), ("no", _("不同意，改为重新下单"))],
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class DuplicateForm(forms.Form):
    decision = forms.ChoiceField(label=_("处理方式"), choices=DuplicateDecision.choices)
    keep = forms.TypedChoiceField(label=_("保留订单"), required=False, coerce=int, empty_value=None)
    buyer_words = forms.CharField(label=_("买家原话"), max_length=300)

    def __init__(self, *args, orders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [("", "—")] + [(o.pk, o.order_id) for o in orders]


class MemoForm(NoteForm):
    pass


class BuyerNotesForm(forms.ModelForm):
    class Meta:
        model = Buyer
        fields = ["height_cm", "weight_kg", "size", "style", "notes", "opted_out"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class BuyerFlagsForm(forms.ModelForm):
    class Meta:
        model = Buyer
        fields = ["is_vip", "is_malicious"]


class StockWishForm(forms.Form):
    sku = forms.TypedChoiceField(label=_("缺货商品"), coerce=int)

    def __init__(self, *args, skus=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sku"].choices = [(s.pk, f"{s.code} {s}") for s in skus]


class StockForm(forms.Form):
    stock = forms.IntegerField(label=_("库存"), min_value=0, max_value=10_000_000)


class OpenProblemForm(forms.Form):
    category = forms.ChoiceField(label=_("问题类别"), choices=ProblemCategory.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=300)
