"""Buyers' photos in chat (issue 22): through the signed bridge and the web chat page,
re-encoded without EXIF, served only to the shop's staff (and to the browser that sent
them), listed by the API, and copied to an after-sale ticket in one click."""

import base64
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from accounts.roles import Role
from chats import media
from chats.models import ChannelKind, Message, MessageImage
from tests.factories import make_user
from tests.tickets.factories import make_ticket, received_order
from tickets.models import TicketPhoto
from tickets.states import TicketType

from .factories import make_channel, signed_post

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def jpeg_with_gps(size=(640, 480)) -> bytes:
    """A phone photo: camera make and the home's GPS position in its EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "BuyerPhone"
    exif[GPS_IFD] = {1: "N", 2: (31.0, 14.0, 2.0), 3: "E", 4: (121.0, 28.0, 5.0)}
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def animated_gif() -> bytes:
    frames = [Image.new("P", (40, 30), color) for color in (1, 2, 3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    return buffer.getvalue()


def payload(*images: bytes, message_id="wx-img-1", text="") -> dict:
    return {
        "message_id": message_id,
        "buyer_nick": "tb_晴天",
        "text": text,
        "sent_at": "2026-11-23T10:29:58+08:00",
        "images": [
            {"filename": f"IMG_{i}.jpg", "content_base64": base64.b64encode(data).decode()}
            for i, data in enumerate(images)
        ],
    }


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def bridge(shop, media_root):
    return make_channel(shop, ChannelKind.BRIDGE)


def test_a_bridge_photo_is_stored_re_encoded_without_exif(client, bridge, now):
    response = signed_post(client, bridge, payload(jpeg_with_gps(), text="颜色不对"))
    assert response.status_code == 201
    image = MessageImage.objects.get()
    assert image.message.pk == response.json()["message_id"]
    assert (image.content_type, image.width, image.height) == ("image/jpeg", 640, 480)
    stored = Image.open(image.file.open("rb"))
    assert not stored.getexif() and not stored.getexif().get_ifd(GPS_IFD)
    assert "IMG_0" not in image.file.name and image.file.name.startswith(f"chats/{bridge.shop_id}/")
    thumbnail = Image.open(image.thumbnail.open("rb"))
    assert max(thumbnail.size) == media.THUMBNAIL_SIDE


def test_images_may_come_without_text_but_not_nothing_at_all(client, bridge, now):
    assert signed_post(client, bridge, payload(jpeg_with_gps())).status_code == 201
    empty = signed_post(client, bridge, payload(message_id="wx-empty"))
    assert empty.status_code == 400 and empty.json()["field"] == "text"


def test_a_repeated_message_id_with_images_is_stored_once(client, bridge, now):
    first = signed_post(client, bridge, payload(jpeg_with_gps()))
    second = signed_post(client, bridge, payload(jpeg_with_gps()))
    assert (first.status_code, second.status_code) == (201, 200)
    assert MessageImage.objects.count() == 1


@pytest.mark.parametrize(
    "fake",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"<html><script>alert(1)</script></html>",
        b"<?php system($_GET['c']); ?>",
    ],
)
def test_an_svg_or_html_named_png_is_refused_naming_the_field(client, bridge, now, fake):
    response = signed_post(client, bridge, payload(jpeg_with_gps(), fake))
    assert response.status_code == 400
    assert response.json()["field"] == "images[1].content_base64"
    assert not Message.objects.exists() and not MessageImage.objects.exists()


def test_more_than_four_images_are_refused(client, bridge, now):
    response = signed_post(client, bridge, payload(*[jpeg_with_gps((8, 8))] * 5))
    assert response.status_code == 400 and response.json()["field"] == "images"


def test_an_image_over_five_mb_is_a_413(client, bridge, now):
    too_big = b"\xff\xd8" + b"\x00" * media.MAX_IMAGE_BYTES
    response = signed_post(client, bridge, payload(too_big))
    assert response.status_code == 413
    assert response.json()["field"] == "images[0].content_base64"
    assert not Message.objects.exists()


def test_four_images_at_the_cap_fit_in_the_body_limit(client, bridge, now, monkeypatch):
    """The body limit grows by the images' size only: four encoded 5 MB images pass the
    body check (and are then judged as images), 64 KiB of text beside them does not."""
    at_cap = b"x" * media.MAX_IMAGE_BYTES
    response = signed_post(client, bridge, payload(*[at_cap] * 4))
    assert response.status_code == 400 and response.json()["field"] == "images[0].content_base64"
    padded = payload(jpeg_with_gps((8, 8)), text="x" * (64 * 1024))
    assert signed_post(client, bridge, padded).status_code == 413


def test_only_the_first_frame_of_an_animation_is_kept(client, bridge, now):
    assert signed_post(client, bridge, payload(animated_gif())).status_code == 201
    stored = Image.open(MessageImage.objects.get().file.open("rb"))
    assert stored.format == "GIF" and getattr(stored, "n_frames", 1) == 1


def test_a_large_photo_is_stored_scaled_down(client, bridge, now):
    assert signed_post(client, bridge, payload(jpeg_with_gps((4000, 3000)))).status_code == 201
    image = MessageImage.objects.get()
    assert max(image.width, image.height) == media.STORED_SIDE


def test_the_api_lists_images_whose_url_answers_only_the_shops_staff(
    client, bridge, staff, other_shop, now
):
    message_id = signed_post(client, bridge, payload(jpeg_with_gps())).json()["message_id"]
    conversation_id = Message.objects.get(pk=message_id).conversation_id
    agent = Client()
    agent.force_login(staff[Role.PRE_SALE])
    detail = agent.get(f"/api/v1/conversations/{conversation_id}/").json()
    [image] = detail["messages"][0]["images"]
    assert (image["width"], image["height"], image["content_type"]) == (640, 480, "image/jpeg")
    served = agent.get(image["url"])
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
    assert not Image.open(io.BytesIO(b"".join(served.streaming_content))).getexif()
    assert agent.get(image["url"] + "?size=thumb").status_code == 200

    stranger = Client()
    stranger.force_login(make_user(other_shop, Role.MANAGER))
    assert stranger.get(image["url"]).status_code == 404
    assert Client().get(image["url"]).status_code in {401, 403}


@pytest.fixture
def webchat(shop, media_root):
    return make_channel(shop)


def buyer_send(client, shop, *, text="", image=None):
    data = {"text": text}
    if image is not None:
        data["image"] = image
    return client.post(reverse("buyer_chat:send", args=[shop.code]), data, HTTP_HX_REQUEST="true")


def test_a_web_chat_buyer_sends_a_photo_and_sees_it_only_in_their_browser(
    client, shop, webchat, staff, now
):
    client.post(reverse("buyer_chat:chat", args=[shop.code]), {"nick": "夏天的风"})
    upload = SimpleUploadedFile("IMG_2231.jpg", jpeg_with_gps(), content_type="image/jpeg")
    assert buyer_send(client, shop, image=upload).status_code == 204
    image = MessageImage.objects.get()
    assert image.message.text == "" and not Image.open(image.file.open("rb")).getexif()
    page = client.get(reverse("buyer_chat:chat", args=[shop.code])).content.decode()
    own_url = reverse("buyer_chat:image", args=[shop.code, image.pk])
    assert own_url in page
    assert client.get(own_url).status_code == 200

    other_browser = Client()
    other_browser.post(reverse("buyer_chat:chat", args=[shop.code]), {"nick": "夏天的风"})
    assert other_browser.get(own_url).status_code == 404

    agent = Client()
    agent.force_login(staff[Role.PRE_SALE])
    pane = agent.get(reverse("chats:conversation", args=[image.message.conversation_id]))
    assert reverse("chat-image", args=[image.pk]) + "?size=thumb" in pane.content.decode()


def test_a_web_chat_file_that_is_not_an_image_is_refused(client, shop, webchat, now):
    client.post(reverse("buyer_chat:chat", args=[shop.code]), {"nick": "夏天的风"})
    svg = SimpleUploadedFile("a.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    response = buyer_send(client, shop, image=svg)
    assert response.status_code == 400 and "不是图片" in response.content.decode()
    assert not Message.objects.exists()


def test_a_web_chat_photo_over_five_mb_is_a_413(client, shop, webchat, now):
    client.post(reverse("buyer_chat:chat", args=[shop.code]), {"nick": "夏天的风"})
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"\x00" * media.MAX_IMAGE_BYTES)
    assert buyer_send(client, shop, image=big).status_code == 413
    assert not Message.objects.exists()


@pytest.fixture
def chat_photo(client, bridge, now):
    signed_post(client, bridge, payload(jpeg_with_gps()))
    return MessageImage.objects.select_related("message__conversation__buyer").get()


def test_one_click_copies_a_chat_photo_to_the_buyers_ticket(chat_photo, shop, staff, now):
    buyer = chat_photo.message.conversation.buyer
    ticket = make_ticket(
        shop, TicketType.DAMAGED, now, order=received_order(shop, now, buyer=buyer)
    )
    agent = Client()
    agent.force_login(staff[Role.AFTER_SALE])
    pane = agent.get(reverse("chats:conversation", args=[chat_photo.message.conversation_id]))
    assert 'data-testid="image-to-ticket"' in pane.content.decode()
    response = agent.post(
        reverse("chats:image_to_ticket", args=[chat_photo.pk]), {"ticket": ticket.pk}
    )
    assert response.status_code == 302
    photo = TicketPhoto.objects.get(ticket=ticket)
    assert (photo.width, photo.height) == (640, 480)
    assert photo.file.name != chat_photo.file.name


def test_a_photo_goes_only_to_a_ticket_of_the_same_buyer(chat_photo, shop, staff, now):
    other_ticket = make_ticket(shop, TicketType.DAMAGED, now)
    agent = Client()
    agent.force_login(staff[Role.AFTER_SALE])
    agent.post(reverse("chats:image_to_ticket", args=[chat_photo.pk]), {"ticket": other_ticket.pk})
    assert not TicketPhoto.objects.exists()


def test_a_pre_sale_agent_cannot_attach_to_tickets(chat_photo, shop, staff, now):
    buyer = chat_photo.message.conversation.buyer
    ticket = make_ticket(
        shop, TicketType.DAMAGED, now, order=received_order(shop, now, buyer=buyer)
    )
    agent = Client()
    agent.force_login(staff[Role.PRE_SALE])
    pane = agent.get(reverse("chats:conversation", args=[chat_photo.message.conversation_id]))
    assert 'data-testid="image-to-ticket"' not in pane.content.decode()
    response = agent.post(
        reverse("chats:image_to_ticket", args=[chat_photo.pk]), {"ticket": ticket.pk}
    )
    assert response.status_code == 404 and not TicketPhoto.objects.exists()


def _conversation_with_photos(shop, now, photos: int):
    from chats.media import chat_image_clean, message_images_store
    from tests.chats.factories import make_conversation

    conversation = make_conversation(shop, now=now, messages=50)
    one = chat_image_clean(jpeg_with_gps((16, 16)), field="image")
    for message in list(conversation.messages.all())[:photos]:
        message_images_store(message=message, images=[one], now=now)
    return conversation


@pytest.mark.parametrize("role", [Role.PRE_SALE, Role.AFTER_SALE])
def test_the_pane_runs_the_same_queries_with_fifty_photos_as_with_none(
    shop, staff, now, media_root, role
):
    agent = Client()
    agent.force_login(staff[role])
    counts = []
    for photos in (0, 50):
        conversation = _conversation_with_photos(shop, now, photos)
        for name in ("chats:conversation", "chats:messages"):
            url = reverse(name, args=[conversation.pk])
            agent.get(url)  # warm the session and the per-request caches alike
            with CaptureQueriesContext(connection) as queries:
                response = agent.get(url)
            assert response.status_code == 200
            counts.append(len(queries))
        page = agent.get(reverse("chats:conversation", args=[conversation.pk])).content.decode()
        assert page.count('data-testid="chat-image"') == photos
    assert counts[:2] == counts[2:], counts
