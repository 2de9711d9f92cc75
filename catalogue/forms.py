from django import forms
from django.utils.translation import gettext_lazy as _

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


class ProductForm(forms.Form):
    link = forms.CharField(label=_("商品链接"), required=False, max_length=500)
    image = forms.FileField(
        label=_("主图"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )
    remove_image = forms.BooleanField(label=_("删除主图"), required=False)


class LibraryImageForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    image = forms.FileField(label=_("图片"), widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}))


class RenameForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
