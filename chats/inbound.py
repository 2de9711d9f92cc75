"""The signed inbound endpoint a platform-messenger bridge posts buyer messages to.

POST /api/v1/channels/<id>/messages with JSON {"message_id", "buyer_nick", "text",
"sent_at", "images"?} and the channel signature headers (see signatures.py). ``images``
is an optional list of up to 4 {"filename", "content_base64"}, each at most 5 MiB decoded;
``text`` may be empty when images are present. Answers: 201 stored, 200 already stored
(same body), 401 bad or stale signature (nothing stored), 400 a malformed body naming the
field (an image that is not a real JPEG/PNG/WebP/GIF included), 413 over a size cap."""

import base64
import binascii
import json
from datetime import datetime

from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from helpdesk import clock
from helpdesk.signatures import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature_ok

from .errors import InvalidMessage
from .media import MAX_IMAGE_BYTES, MAX_IMAGES_PER_MESSAGE, ChatImage, chat_image_clean
from .models import Channel, Message
from .services import buyer_message_receive

MAX_TEXT_BODY_BYTES = 64 * 1024
MAX_FILENAME_LENGTH = 255
# Base64 of the largest image, plus room for its filename and the JSON around it.
MAX_ENCODED_IMAGE = 4 * -(-MAX_IMAGE_BYTES // 3)
MAX_BODY_BYTES = MAX_TEXT_BODY_BYTES + MAX_IMAGES_PER_MESSAGE * (MAX_ENCODED_IMAGE + 1024)
FIELDS = ("message_id", "buyer_nick", "sent_at")


def _error(status: int, detail: str, field: str | None = None) -> JsonResponse:
    body = {"detail": detail}
    if field:
        body["field"] = field
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _parse(body: bytes) -> dict:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidMessage(_("请求体不是 UTF-8 JSON。"), field="body") from None
    if not isinstance(data, dict):
        raise InvalidMessage(_("请求体必须是 JSON 对象。"), field="body")
    images = data.get("images") or []
    _check_text_part_size(body, images)
    fields = FIELDS if images else (*FIELDS, "text")
    for field in fields:
        value = data.get(field)
        if not isinstance(value, str) or not value.strip():
            raise InvalidMessage(
                _("缺少字段 %(field)s，或它不是非空字符串。") % {"field": field}, field=field
            )
    try:
        sent_at = datetime.fromisoformat(data["sent_at"])
    except ValueError:
        raise InvalidMessage(_("sent_at 不是 ISO-8601 时间。"), field="sent_at") from None
    if timezone.is_naive(sent_at):
        sent_at = timezone.make_aware(sent_at)
    text = data.get("text", "")
    if not isinstance(text, str):
        raise InvalidMessage(_("text 必须是字符串。"), field="text")
    return {**data, "text": text, "sent_at": sent_at, "images": _encoded_images(images)}


def _check_text_part_size(body: bytes, images) -> None:
    """Images raise the body limit by their own size only: the rest stays under 64 KiB."""
    image_chars = 0
    if isinstance(images, list):
        image_chars = sum(
            len(item.get("content_base64") or "") + len(json.dumps(item.get("filename"))) + 64
            for item in images
            if isinstance(item, dict) and isinstance(item.get("content_base64"), str)
        )
    if len(body) - image_chars > MAX_TEXT_BODY_BYTES:
        raise InvalidMessage(_("请求体超过 64 KiB（图片除外）。"), field="body", status_code=413)


def _encoded_images(images) -> list[tuple[str, bytes]]:
    """[(field name, decoded bytes)]: the shape and sizes checked, nothing decoded as an
    image yet (that happens only for a message not stored before)."""
    if not isinstance(images, list):
        raise InvalidMessage(_("images 必须是数组。"), field="images")
    if len(images) > MAX_IMAGES_PER_MESSAGE:
        raise InvalidMessage(
            _("每条消息最多 %(n)s 张图片。") % {"n": MAX_IMAGES_PER_MESSAGE}, field="images"
        )
    decoded = []
    for index, item in enumerate(images):
        field = f"images[{index}]"
        if not isinstance(item, dict):
            raise InvalidMessage(_("图片必须是 JSON 对象。"), field=field)
        filename = item.get("filename")
        if not isinstance(filename, str) or len(filename) > MAX_FILENAME_LENGTH:
            raise InvalidMessage(_("filename 缺失或过长。"), field=f"{field}.filename")
        encoded = item.get("content_base64")
        content_field = f"{field}.content_base64"
        if not isinstance(encoded, str) or not encoded:
            raise InvalidMessage(_("content_base64 缺失。"), field=content_field)
        if len(encoded) > MAX_ENCODED_IMAGE:
            raise InvalidMessage(
                _("每张图片不能超过 %(mb)s MB。") % {"mb": MAX_IMAGE_BYTES // 1024 // 1024},
                field=content_field,
                status_code=413,
            )
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidMessage(_("content_base64 不是 Base64。"), field=content_field) from None
        decoded.append((content_field, data))
    return decoded


def _clean_images(encoded: list[tuple[str, bytes]]) -> list[ChatImage]:
    return [chat_image_clean(data, field=field) for field, data in encoded]


@csrf_exempt
@require_POST
def channel_messages(request, channel_id: int):
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    too_big = _("请求体过大：文字消息不超过 64 KiB，另加每张图片不超过 5 MB。")
    if declared > MAX_BODY_BYTES:
        return _error(413, too_big)
    # Read the stream ourselves: request.body would stop at DATA_UPLOAD_MAX_MEMORY_SIZE,
    # below what four images need.
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return _error(413, too_big)
    now = clock.now()
    channel = Channel.objects.filter(pk=channel_id, is_active=True).first()
    if channel is None or not signature_ok(
        secret=channel.secret,
        timestamp=request.headers.get(TIMESTAMP_HEADER),
        given=request.headers.get(SIGNATURE_HEADER),
        body=body,
        now=now,
    ):
        return _error(401, "签名无效、缺失或时间戳偏差超过 5 分钟。")
    try:
        data = _parse(body)
        external_id = data["message_id"].strip()
        stored = Message.objects.filter(channel=channel, external_id=external_id).first()
        if stored is not None:
            return _stored(stored, created=False)
        message, created = buyer_message_receive(
            channel=channel,
            buyer_nick=data["buyer_nick"],
            text=data["text"],
            external_id=external_id,
            sent_at=data["sent_at"],
            now=now,
            images=_clean_images(data["images"]),
        )
    except InvalidMessage as error:
        return _error(error.status_code, str(error), error.field)
    return _stored(message, created=created)


def _stored(message: Message, *, created: bool) -> JsonResponse:
    return JsonResponse(
        {"conversation_id": message.conversation_id, "message_id": message.pk},
        status=201 if created else 200,
    )
