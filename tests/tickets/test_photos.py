import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.roles import Role
from tests.factories import make_user
from tests.tickets.factories import image_upload, make_ticket
from tickets import photos
from tickets.errors import PhotoRefused
from tickets.models import TicketPhoto
from tickets.photos import photo_add
from tickets.states import TicketType

pytestmark = pytest.mark.django_db


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares a huge image (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def ticket(shop, agent, now):
    return make_ticket(shop, TicketType.DAMAGED, now, actor=agent)


def test_a_php_script_named_jpg_is_refused(ticket, agent, now):
    upload = SimpleUploadedFile("shell.jpg", b"<?php system($_GET['c']); ?>", "image/jpeg")
    with pytest.raises(PhotoRefused, match="不是图片"):
        photo_add(actor=agent, ticket=ticket, upload=upload, now=now)
    assert not TicketPhoto.objects.exists()


def test_an_svg_or_html_file_is_refused(ticket, agent, now):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(PhotoRefused):
        photo_add(actor=agent, ticket=ticket, upload=SimpleUploadedFile("a.png", svg), now=now)


def test_an_oversize_file_is_refused(ticket, agent, now, monkeypatch):
    monkeypatch.setattr(photos, "MAX_BYTES", 1024)
    big = image_upload(size=(400, 400), fmt="PNG")
    assert big.size > 1024
    with pytest.raises(PhotoRefused, match="不能超过"):
        photo_add(actor=agent, ticket=ticket, upload=big, now=now)


def test_an_image_with_too_many_pixels_is_refused(ticket, agent, now):
    upload = SimpleUploadedFile("wide.png", _png_claiming(15_000, 10), "image/png")
    with pytest.raises(PhotoRefused, match="尺寸"):
        photo_add(actor=agent, ticket=ticket, upload=upload, now=now)


def test_a_decompression_bomb_is_refused_before_decoding(ticket, agent, now):
    bomb = _png_claiming(60_000, 60_000)
    assert len(bomb) < 200
    with pytest.raises(PhotoRefused, match="尺寸"):
        photo_add(actor=agent, ticket=ticket, upload=SimpleUploadedFile("b.png", bomb), now=now)


def test_accepted_photo_is_re_encoded_without_exif_under_a_random_name(
    ticket, agent, now, private_media
):
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0110] = "Model X"  # Model
    photo = photo_add(
        actor=agent, ticket=ticket, upload=image_upload("我的照片.jpg", exif=exif), now=now
    )
    assert photo.content_type == "image/jpeg" and (photo.width, photo.height) == (64, 48)
    path = private_media / photo.file.name
    assert path.exists() and "我的照片" not in photo.file.name
    assert photo.file.name.startswith(f"tickets/{ticket.shop_id}/")
    stored = Image.open(io.BytesIO(path.read_bytes()))
    assert not stored.getexif()


def test_photo_view_serves_the_ticket_shops_after_sale_staff(ticket, agent, now, login):
    photo = photo_add(actor=agent, ticket=ticket, upload=image_upload(), now=now)
    response = login(agent).get(f"/tickets/photos/{photo.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_photo_view_refuses_a_pre_sale_agent_of_the_same_shop(ticket, agent, staff, now, login):
    photo = photo_add(actor=agent, ticket=ticket, upload=image_upload(), now=now)
    assert login(staff[Role.PRE_SALE]).get(f"/tickets/photos/{photo.pk}/").status_code == 404


def test_photo_view_refuses_another_shops_manager(ticket, agent, other_shop, now, login):
    photo = photo_add(actor=agent, ticket=ticket, upload=image_upload(), now=now)
    stranger = make_user(other_shop, Role.MANAGER)
    assert login(stranger).get(f"/tickets/photos/{photo.pk}/").status_code == 404


def test_photo_upload_page_shows_the_refusal(ticket, agent, login):
    client = login(agent)
    upload = SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>", "image/jpeg")
    response = client.post(f"/tickets/{ticket.pk}/photos/", {"photo": upload}, follow=True)
    assert "不是图片" in response.content.decode()
    assert not TicketPhoto.objects.exists()
