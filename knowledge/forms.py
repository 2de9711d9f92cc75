from django import forms
from django.utils.translation import gettext_lazy as _

from .transfer import EntryData, split_values

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ShopChoiceMixin:
    def _shop_field(self, shops):
        self.shops = {shop.code: shop for shop in shops}
        self.fields["shop"] = forms.ChoiceField(
            label=_("店铺"), choices=[(s.code, s.name) for s in shops]
        )

    def clean_shop(self):
        return self.shops[self.cleaned_data["shop"]]


class EntryForm(ShopChoiceMixin, forms.Form):
    key = forms.CharField(label=_("编号"), max_length=40)
    question = forms.CharField(label=_("问题"), max_length=200)
    phrasings = forms.CharField(
        label=_("相似问法"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("多个用 | 或 、 分隔，或每行一个。"),
    )
    answer = forms.CharField(
        label=_("答案"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )
    products = forms.CharField(
        label=_("适用商品"), required=False, help_text=_("商品标题或商家编码；留空表示全店通用。")
    )
    category = forms.CharField(label=_("分类"), max_length=30, required=False)

    def __init__(self, *args, shops, **kwargs):
        super().__init__(*args, **kwargs)
        self._shop_field(shops)

    def entry_data(self) -> EntryData:
        data = self.cleaned_data
        return EntryData(
            key=data["key"].strip(),
            question=data["question"].strip(),
            phrasings=split_values(data["phrasings"].replace("\n", "|")),
            answer=data["answer"].strip(),
            products=split_values(data["products"]),
            category=data["category"].strip(),
        )


class ImportForm(ShopChoiceMixin, forms.Form):
    file = forms.FileField(label=_("文件（CSV 或 XLSX）"))
    dry_run = forms.BooleanField(label=_("只检查，不写入"), required=False)

    def __init__(self, *args, shops, **kwargs):
        super().__init__(*args, **kwargs)
        self._shop_field(shops)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件不能超过 5 MB。"))
        return upload
