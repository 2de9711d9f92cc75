"""Demo catalogue and image library: each demo shop's products come from its imported
item lines (orders/demo.py); the first few get a drawn main image and a product link, and
every shop gets a size chart and a detail shot in its library. The pictures are drawn
here (shapes only, no words), so the demo ships no image files."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from accounts.roles import Role
from helpdesk.demo import DemoContext

from .models import Product
from .services import catalogue_refresh, library_image_add, product_update

COLOURS = [(196, 120, 86), (70, 110, 160), (120, 150, 90), (170, 90, 120)]
WITH_IMAGE = 4


def _png(draw) -> SimpleUploadedFile:
    image = Image.new("RGB", (480, 480), (248, 246, 242))
    draw(ImageDraw.Draw(image))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("demo.png", buffer.getvalue(), content_type="image/png")


def _garment(colour):
    def draw(canvas):
        canvas.rectangle((150, 90, 330, 400), fill=colour)
        canvas.polygon([(150, 90), (90, 170), (130, 200), (150, 160)], fill=colour)
        canvas.polygon([(330, 90), (390, 170), (350, 200), (330, 160)], fill=colour)

    return draw


def _tea_cake(colour):
    def draw(canvas):
        canvas.ellipse((80, 80, 400, 400), fill=colour)
        canvas.ellipse((200, 200, 280, 280), fill=(248, 246, 242))
        for offset in range(120, 370, 36):
            canvas.arc((offset - 40, 130, offset + 40, 350), 60, 120, fill=(90, 70, 50), width=3)

    return draw


def _table_chart(canvas):
    for row in range(6):
        canvas.line((40, 80 + row * 64, 440, 80 + row * 64), fill=(90, 90, 90), width=2)
    for column in range(5):
        canvas.line((40 + column * 100, 80, 40 + column * 100, 400), fill=(90, 90, 90), width=2)
    canvas.rectangle((40, 80, 440, 144), outline=(90, 90, 90), fill=(225, 232, 240), width=2)


def _detail_shot(canvas):
    canvas.ellipse((90, 90, 390, 390), fill=(205, 185, 160))
    for offset in range(110, 380, 24):
        canvas.line((offset, 110, offset, 370), fill=(180, 160, 135), width=3)


GOODS = {
    # shop code: (product picture, library images); the clothing shops are the default
    "shanye-tea": (_tea_cake, [("冲泡指南", _table_chart), ("茶叶细节", _detail_shot)]),
}
CLOTHING = (_garment, [("尺码表", _table_chart), ("面料细节", _detail_shot)])


def seed(ctx: DemoContext) -> None:
    supervisor = ctx.staff[Role.SUPERVISOR][0]
    for code, shop in ctx.shops.items():
        if not supervisor.memberships.filter(shop=shop).exists():
            continue
        picture, library = GOODS.get(code, CLOTHING)
        catalogue_refresh(actor=supervisor, shop=shop, now=ctx.now)
        products = Product.objects.filter(shop=shop).order_by("sku_code")[:WITH_IMAGE]
        for n, product in enumerate(products):
            product_update(
                actor=supervisor,
                product=product,
                link=f"https://item.taobao.com/item.htm?id={700000000000 + product.pk}",
                upload=_png(picture(COLOURS[n % len(COLOURS)])),
                now=ctx.now,
            )
        for name, draw in library:
            library_image_add(
                actor=supervisor, shop=shop, name=name, upload=_png(draw), now=ctx.now
            )
