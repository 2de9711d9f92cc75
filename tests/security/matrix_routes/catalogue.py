"""The catalogue and image-library pages (supervisors), their image files (the shop's
staff), and the composer's product and library pickers (issue 22)."""

from .base import Route, builder, pk_of, shop_code

conversation_pk = pk_of("conversation")
product_pk = pk_of("product")
library_image_pk = pk_of("library_image")
SETTLED = frozenset({400, 409})


@builder("product")
def _product(ctx, shop):
    from tests.catalogue.factories import make_product

    return make_product(shop, title="纯棉T恤 白色")


@builder("library_image")
def _library_image(ctx, shop):
    from tests.catalogue.factories import make_library_image

    return make_library_image(shop, name="尺码表")


def fresh_library_image(ctx, shop):
    """Deleting needs a new image for each role the matrix tries."""
    from tests.catalogue.factories import make_library_image

    return {"pk": make_library_image(shop).pk}


def shop_query(ctx, shop):
    return {"shop": shop.code}


def library_upload(ctx, shop):
    from tests.catalogue.factories import png_upload

    return {"name": "细节图", "image": png_upload()}


ROUTES: dict[str, Route] = {
    "catalogue:products": Route("catalogue.manage", shop_scoped=True, data=shop_query),
    "catalogue:refresh": Route("catalogue.manage", shop_code, method="post", shop_scoped=True),
    "catalogue:product": Route("catalogue.manage", product_pk, shop_scoped=True),
    "catalogue:product#post": Route(
        "catalogue.manage",
        product_pk,
        method="post",
        shop_scoped=True,
        data={"link": "https://item.taobao.com/item.htm?id=1"},
    ),
    "catalogue:product_image": Route("chats.work", product_pk, shop_scoped=True),
    "catalogue:images": Route("catalogue.manage", shop_scoped=True, data=shop_query),
    "catalogue:image_add": Route(
        "catalogue.manage", shop_code, method="post", shop_scoped=True, data=library_upload
    ),
    "catalogue:image_file": Route("chats.work", library_image_pk, shop_scoped=True),
    "catalogue:image_rename": Route(
        "catalogue.manage", library_image_pk, method="post", shop_scoped=True, data={"name": "新名"}
    ),
    "catalogue:image_delete": Route(
        "catalogue.manage", fresh_library_image, method="post", shop_scoped=True
    ),
    "chats:products": Route("chats.work", conversation_pk, shop_scoped=True, data={"q": "T恤"}),
    "chats:product_card": Route(
        "chats.work",
        conversation_pk,
        method="post",
        shop_scoped=True,
        data=lambda ctx, shop: {"product": ctx.obj("product", shop).pk},
        also_ok=SETTLED,
    ),
    "chats:library": Route("chats.work", conversation_pk, shop_scoped=True),
    "chats:library_image": Route(
        "chats.work",
        conversation_pk,
        method="post",
        shop_scoped=True,
        data=lambda ctx, shop: {"image": ctx.obj("library_image", shop).pk},
        also_ok=SETTLED,
    ),
}
