"""Changes to the catalogue and the image library. Supervisors (``catalogue.manage``) of
the shop make them; each writes an audit event. Files replaced or deleted are removed
from storage only after the change is committed."""

from datetime import datetime
from functools import partial
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from accounts.models import Shop, User
from accounts.permissions import require
from audit.services import audit
from orders.models import OrderItem

from .errors import CatalogueError
from .images import delete_files, store, upload_clean
from .models import LibraryImage, Product

# Buyers are sent to the platform's own item pages only: the platforms refuse (and may
# punish) outside links in chat, and a catalogue link must not become a phishing route.
LINK_HOSTS = ("taobao.com", "tmall.com", "tmall.hk", "tb.cn")
MAX_NAME = 100


def clean_link(link: str) -> str:
    link = (link or "").strip()
    if not link:
        return ""
    parts = urlsplit(link)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not any(
        host == allowed or host.endswith("." + allowed) for allowed in LINK_HOSTS
    ):
        raise CatalogueError(
            _("商品链接只能是淘宝或天猫的商品页面（%(hosts)s）。")
            % {"hosts": "、".join(LINK_HOSTS)}
        )
    if len(link) > 500:
        raise CatalogueError(_("商品链接不能超过 500 个字符。"))
    return link


@transaction.atomic
def catalogue_refresh(*, actor: User, shop: Shop, now: datetime) -> int:
    """The supervisor's button: refresh the shop's products from its imported item lines
    now (they follow every import by themselves too: ``catalogue_refresh_after_import``)."""
    require(actor, "catalogue.manage", shop)
    return _refresh(actor, shop, now)


@transaction.atomic
def catalogue_refresh_after_import(*, shop_id: int, now: datetime) -> int | None:
    """The system's refresh once an order import of the shop has committed (the task that
    ``orders.signals.import_committed`` enqueues). Safe to run twice: an upsert that
    reads the committed lines; None when the shop is gone."""
    shop = Shop.objects.filter(pk=shop_id).first()
    if shop is None:
        return None
    return _refresh(None, shop, now)


def _refresh(actor: User | None, shop: Shop, now: datetime) -> int:
    """Add or update one product per 商家编码 found in the shop's imported item lines,
    with the title and price of the newest line (by order time). Links and images set by
    supervisors are kept. One statement whatever the number of lines; rows in code order,
    so two refreshes of one shop lock them in the same order."""
    newest = OrderItem.objects.filter(order__shop=shop, sku_code=OuterRef("sku_code")).order_by(
        "-order__ordered_at", "-pk"
    )
    latest = (
        OrderItem.objects.filter(order__shop=shop)
        .exclude(sku_code="")
        .values("sku_code")
        .distinct()
        .order_by("sku_code")
        .annotate(
            latest_title=Subquery(newest.values("title")[:1]),
            latest_price=Subquery(newest.values("price")[:1]),
        )
    )
    rows = [
        Product(
            shop=shop,
            sku_code=line["sku_code"],
            title=line["latest_title"][:500],
            price=line["latest_price"],
            refreshed_at=now,
            updated_at=now,
        )
        for line in latest
    ]
    Product.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["shop", "sku_code"],
        update_fields=["title", "price", "refreshed_at"],
        batch_size=1000,
    )
    if actor is None and not rows:
        return 0  # an import without 商家编码 (an order report): nothing to record
    audit(
        actor,
        "catalogue.refreshed",
        shop,
        shop=shop,
        changes={"products": [None, len(rows)]},
        now=now,
    )
    return len(rows)


@transaction.atomic
def product_update(
    *,
    actor: User,
    product: Product,
    link: str,
    upload=None,
    remove_image: bool = False,
    now: datetime,
) -> Product:
    """Set the product's link and main image (``upload``, re-encoded) or remove the image."""
    require(actor, "catalogue.manage", product)
    link = clean_link(link)
    image = upload_clean(upload) if upload is not None else None
    product = Product.objects.select_for_update().get(pk=product.pk)
    before_link, had_image = product.link, product.has_image
    replaced: list[str] = []
    if image is not None:
        replaced = store(product, image)
    elif remove_image and product.has_image:
        replaced = [product.file.name, product.thumbnail.name]
        product.file = product.thumbnail = ""
        product.content_type = product.extension = ""
        product.width = product.height = None
    product.link = link
    product.updated_at = now
    product.save()
    changes = {}
    if before_link != product.link:
        changes["link"] = [before_link, product.link]
    if image is not None or replaced:
        changes["image"] = [had_image, product.has_image]
    audit(actor, "product.updated", product, changes=changes, now=now)
    transaction.on_commit(partial(delete_files, product.file.storage, replaced))
    return product


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise CatalogueError(_("请填写图片名称。"))
    if len(name) > MAX_NAME:
        raise CatalogueError(_("图片名称不能超过 %(n)s 个字。") % {"n": MAX_NAME})
    return name


def _unique_name(shop, name: str, *, exclude=None) -> None:
    taken = LibraryImage.objects.filter(shop=shop, name=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise CatalogueError(_("图片库里已有名为「%(name)s」的图片。") % {"name": name})


def library_image_add(*, actor: User, shop: Shop, name: str, upload, now: datetime) -> LibraryImage:
    require(actor, "catalogue.manage", shop)
    name = clean_name(name)
    image = upload_clean(upload)  # the slow part, before any transaction
    with transaction.atomic():
        _unique_name(shop, name)
        row = LibraryImage(
            shop=shop, name=name, size=len(image.image.data), created_by=actor, created_at=now
        )
        store(row, image)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            delete_files(row.file.storage, [row.file.name, row.thumbnail.name])
            raise CatalogueError(
                _("图片库里已有名为「%(name)s」的图片。") % {"name": name}
            ) from None
        audit(actor, "library_image.added", row, changes={"name": [None, name]}, now=now)
    return row


@transaction.atomic
def library_image_rename(
    *, actor: User, image: LibraryImage, name: str, now: datetime
) -> LibraryImage:
    require(actor, "catalogue.manage", image)
    name = clean_name(name)
    image = LibraryImage.objects.select_for_update().get(pk=image.pk)
    if name == image.name:
        return image
    _unique_name(image.shop_id, name, exclude=image)
    before = image.name
    image.name = name
    image.save(update_fields=["name"])
    audit(actor, "library_image.renamed", image, changes={"name": [before, name]}, now=now)
    return image


@transaction.atomic
def library_image_delete(*, actor: User, image: LibraryImage, now: datetime) -> None:
    """Remove an image from the library. Copies already sent stay in their conversations."""
    require(actor, "catalogue.manage", image)
    image = LibraryImage.objects.select_for_update().get(pk=image.pk)
    names = [image.file.name, image.thumbnail.name]
    audit(actor, "library_image.deleted", image, changes={"name": [image.name, None]}, now=now)
    image.delete()
    transaction.on_commit(partial(delete_files, image.file.storage, names))
