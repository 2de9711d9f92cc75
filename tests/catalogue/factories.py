"""Catalogue factories: products with a main image, library images."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalogue.images import store, upload_clean
from catalogue.models import LibraryImage, Product
from helpdesk import clock

_serial = iter(range(1, 10**6))


def png_upload(name="chart.png", size=(120, 90), color=(40, 160, 90)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_product(shop, *, title=None, price="129.00", link="", image=True, **fields) -> Product:
    now = clock.now()
    n = next(_serial)
    product = Product(
        shop=shop,
        sku_code=fields.pop("sku_code", f"SKU-{n:05d}"),
        title=title or f"纯棉短袖T恤 款{n}",
        price=price,
        link=link,
        refreshed_at=now,
        updated_at=now,
        **fields,
    )
    if image:
        store(product, upload_clean(png_upload(f"p{n}.png")))
    product.save()
    return product


def make_library_image(shop, *, name=None) -> LibraryImage:
    n = next(_serial)
    image = upload_clean(png_upload(f"lib{n}.png"))
    row = LibraryImage(
        shop=shop, name=name or f"尺码表 {n}", size=len(image.image.data), created_at=clock.now()
    )
    store(row, image)
    row.save()
    return row
