"""The shop's product catalogue and image library: what agents send buyers besides words.

Decision (issue 22): the imported item lines (orders.OrderItem) have title, price and 商家编码
but no image or link, and one product appears on thousands of lines. So the catalogue is
one row per shop and 商家编码 (``Product``): title and price follow the newest imported
line (``catalogue.services.catalogue_refresh``), the link and the main image are set by a
supervisor on the catalogue page and survive every refresh. Library images
(``LibraryImage``: size charts, detail shots) belong to the shop, not to a product.

Every image here went through helpdesk/images.py (re-encoded, metadata dropped), is stored
under MEDIA_ROOT with a random name and is served only to the shop's staff. Sending one
copies it onto the chat message (chats.MessageImage), so what a buyer was sent stays as it
was sent when the library changes."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2}


def _random_path(instance, kind: str) -> str:
    return f"catalogue/{instance.shop_id}/{uuid.uuid4().hex}{kind}.{instance.extension}"


def image_path(instance, filename: str) -> str:
    return _random_path(instance, "")


def thumbnail_path(instance, filename: str) -> str:
    return _random_path(instance, "-thumb")


class StoredImage(models.Model):
    """The file, its thumbnail and what the pane needs to draw them."""

    file = models.FileField(upload_to=image_path, max_length=200, blank=True)
    thumbnail = models.FileField(upload_to=thumbnail_path, max_length=200, blank=True)
    content_type = models.CharField(max_length=20, blank=True)
    extension = models.CharField(max_length=5, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def has_image(self) -> bool:
        return bool(self.file)


class Product(StoredImage):
    """One product of the shop by 商家编码: the product card's source."""

    shop = models.ForeignKey("accounts.Shop", on_delete=models.CASCADE, related_name="products")
    sku_code = models.CharField(_("商家编码"), max_length=64)
    title = models.CharField(_("标题"), max_length=500)
    price = models.DecimalField(_("价格"), **MONEY)
    link = models.URLField(_("商品链接"), max_length=500, blank=True)
    refreshed_at = models.DateTimeField(
        help_text="When title and price were last read from imports."
    )
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "商品目录"
        constraints = [
            models.UniqueConstraint(fields=["shop", "sku_code"], name="one_product_per_sku_code")
        ]
        indexes = [models.Index(fields=["shop", "title"])]

    def __str__(self):
        return f"{self.sku_code} {self.title}"


class LibraryImage(StoredImage):
    """An image of the shop's library (size chart, detail shot) agents send from the
    composer. Random ids: a link to one cannot be guessed from another."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    shop = models.ForeignKey(
        "accounts.Shop", on_delete=models.CASCADE, related_name="library_images"
    )
    name = models.CharField(_("名称"), max_length=100)
    size = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "图片库"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="one_library_image_per_name")
        ]

    def __str__(self):
        return self.name
