"""The shop's product catalogue and image library (issue 22): fed from imported item
lines, links and images set by supervisors, images re-encoded and served only to the
shop's staff; every refusal changes nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from accounts.roles import Role
from audit.models import AuditEvent
from catalogue.errors import CatalogueError
from catalogue.models import LibraryImage, Product
from catalogue.services import (
    catalogue_refresh,
    library_image_add,
    library_image_delete,
    library_image_rename,
    product_update,
)
from orders.models import OrderItem
from tests.chats.test_media import jpeg_with_gps
from tests.factories import make_order

from .factories import make_library_image, make_product, png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


def item(order, sku_code, title, price, line="1"):
    return OrderItem.objects.create(
        order=order, line_key=line, title=title, price=price, quantity=1, sku_code=sku_code
    )


def test_refresh_takes_title_and_price_from_the_newest_line_and_keeps_the_link(
    shop, other_shop, staff, now
):
    from datetime import timedelta

    old = make_order(shop, ordered_at=now - timedelta(days=3))
    new = make_order(shop, ordered_at=now - timedelta(days=1))
    item(old, "T-01", "纯棉T恤 旧标题", "99.00")
    item(new, "T-01", "纯棉T恤 白色", "109.00")
    item(new, "", "没有商家编码的赠品", "0.00", line="2")
    item(make_order(other_shop), "T-02", "别家的商品", "5.00")
    supervisor = staff[Role.SUPERVISOR]
    assert catalogue_refresh(actor=supervisor, shop=shop, now=now) == 1
    product = Product.objects.get()
    assert (product.sku_code, product.title, str(product.price)) == (
        "T-01",
        "纯棉T恤 白色",
        "109.00",
    )
    product_update(
        actor=supervisor, product=product, link="https://item.taobao.com/item.htm?id=1", now=now
    )
    item(make_order(shop, ordered_at=now), "T-01", "纯棉T恤 白色 新款", "119.00")
    catalogue_refresh(actor=supervisor, shop=shop, now=now)
    product.refresh_from_db()
    assert product.title == "纯棉T恤 白色 新款" and str(product.price) == "119.00"
    assert product.link == "https://item.taobao.com/item.htm?id=1"
    assert AuditEvent.objects.filter(verb="catalogue.refreshed").count() == 2


def test_an_agent_may_not_refresh_or_edit_the_catalogue(shop, staff, now):
    product = make_product(shop, image=False)
    agent = staff[Role.AFTER_SALE]
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        catalogue_refresh(actor=agent, shop=shop, now=now)
    with pytest.raises(PermissionDenied):
        product_update(actor=agent, product=product, link="", now=now)
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "link",
    ["https://evil.example.com/item", "javascript:alert(1)", "https://taobao.com.evil.cn/x"],
)
def test_a_link_outside_taobao_and_tmall_is_refused(shop, staff, now, link):
    product = make_product(shop, image=False)
    with pytest.raises(CatalogueError):
        product_update(actor=staff[Role.SUPERVISOR], product=product, link=link, now=now)
    product.refresh_from_db()
    assert product.link == ""


def test_the_main_image_is_re_encoded_without_exif_and_served_to_staff_only(
    shop, other_shop, staff, now
):
    product = make_product(shop, image=False)
    upload = SimpleUploadedFile("phone.jpg", jpeg_with_gps(), content_type="image/jpeg")
    product_update(actor=staff[Role.SUPERVISOR], product=product, link="", upload=upload, now=now)
    product.refresh_from_db()
    assert product.has_image and "phone" not in product.file.name
    with product.file.open("rb") as handle:
        assert not Image.open(io.BytesIO(handle.read())).getexif()
    url = reverse("catalogue:product_image", args=[product.pk])
    agent = Client()
    agent.force_login(staff[Role.PRE_SALE])
    response = agent.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    stranger = Client()
    from tests.factories import make_user

    stranger.force_login(make_user(other_shop, Role.MANAGER, username="boss_other"))
    assert stranger.get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_an_svg_named_png_is_refused_and_nothing_changes(shop, staff, now):
    product = make_product(shop, image=False)
    svg = SimpleUploadedFile("chart.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    from helpdesk.images import ImageRefused

    with pytest.raises(ImageRefused):
        product_update(actor=staff[Role.SUPERVISOR], product=product, link="", upload=svg, now=now)
    with pytest.raises(ImageRefused):
        library_image_add(actor=staff[Role.SUPERVISOR], shop=shop, name="图", upload=svg, now=now)
    product.refresh_from_db()
    assert not product.has_image and not LibraryImage.objects.exists()


def test_supervisor_uploads_renames_and_deletes_a_library_image(shop, staff, now, private_media):
    supervisor = staff[Role.SUPERVISOR]
    image = library_image_add(
        actor=supervisor, shop=shop, name=" 尺码表  女款 ", upload=png_upload(), now=now
    )
    assert image.name == "尺码表 女款" and image.content_type == "image/png"
    assert "chart" not in image.file.name
    with pytest.raises(CatalogueError):
        library_image_add(
            actor=supervisor, shop=shop, name="尺码表 女款", upload=png_upload(), now=now
        )
    library_image_rename(actor=supervisor, image=image, name="尺码表（女）", now=now)
    image.refresh_from_db()
    assert image.name == "尺码表（女）"
    path = private_media / image.file.name
    assert path.exists()
    library_image_delete(actor=supervisor, image=image, now=now)
    assert not LibraryImage.objects.exists()
    verbs = list(AuditEvent.objects.filter(shop=shop).order_by("pk").values_list("verb", flat=True))
    assert verbs == ["library_image.added", "library_image.renamed", "library_image.deleted"]


def test_library_pages_refuse_an_agent_and_another_shop(shop, other_shop, staff):
    image = make_library_image(shop)
    agent = Client()
    agent.force_login(staff[Role.AFTER_SALE])
    assert agent.get(reverse("catalogue:images")).status_code == 403
    assert agent.post(reverse("catalogue:image_delete", args=[image.pk])).status_code == 404
    assert agent.get(reverse("catalogue:image_file", args=[image.pk])).status_code == 200
    supervisor = Client()
    supervisor.force_login(staff[Role.SUPERVISOR])
    page = supervisor.get(reverse("catalogue:images"), {"shop": shop.code})
    assert page.status_code == 200 and image.name in page.content.decode()
    assert supervisor.get(reverse("catalogue:images"), {"shop": other_shop.code}).status_code == 404
    assert LibraryImage.objects.filter(pk=image.pk).exists()


def test_the_supervisor_page_uploads_and_reports_a_bad_file(shop, staff):
    supervisor = Client()
    supervisor.force_login(staff[Role.SUPERVISOR])
    url = reverse("catalogue:image_add", args=[shop.code])
    bad = SimpleUploadedFile("x.png", b"<html>not an image</html>")
    response = supervisor.post(url, {"name": "细节图", "image": bad}, follow=True)
    assert "不是图片" in response.content.decode()
    assert not LibraryImage.objects.exists()
    response = supervisor.post(url, {"name": "细节图", "image": png_upload()}, follow=True)
    assert "细节图" in response.content.decode()
    assert LibraryImage.objects.get().name == "细节图"


def test_the_product_page_saves_link_and_image(shop, staff):
    product = make_product(shop, image=False)
    supervisor = Client()
    supervisor.force_login(staff[Role.SUPERVISOR])
    url = reverse("catalogue:product", args=[product.pk])
    bad = supervisor.post(url, {"link": "https://phish.example.com/"})
    assert bad.status_code == 400 and "淘宝或天猫" in bad.content.decode()
    ok = supervisor.post(
        url, {"link": "https://detail.tmall.com/item.htm?id=2", "image": png_upload()}
    )
    assert ok.status_code == 302
    product.refresh_from_db()
    assert product.link.startswith("https://detail.tmall.com/") and product.has_image
