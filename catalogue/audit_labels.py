"""What the catalogue's and the image library's audit events say (see audit/labels.py)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "catalogue.refreshed": _("从订单明细更新商品目录"),
    "product.updated": _("修改商品链接或主图"),
    "library_image.added": _("上传图库图片"),
    "library_image.renamed": _("图库图片改名"),
    "library_image.deleted": _("删除图库图片"),
}
OBJECTS = {
    "catalogue.product": (_("商品"), "catalogue:product"),
    "catalogue.libraryimage": (_("图库图片"), None),
}
FIELDS = {
    "products": _("商品数"),
    "image": _("主图"),
}
