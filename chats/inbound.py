"""The signed inbound endpoint a platform-messenger bridge posts buyer messages to.

POST /api/v1/channels/<id>/messages with JSON {"message_id", "buyer_nick", "text",
"sent_at"} and the channel signature headers (see signatures.py). Answers: 201 stored,
200 already stored (same body), 401 bad or stale signature (nothing stored), 400 a
malformed body naming the field, 413 over 64 KiB."""

import json
from datetime import datetime

from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from helpdesk import clock

from .errors import InvalidMessage
from .models import Channel
from .services import buyer_message_receive
from .signatures import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature_ok

MAX_BODY_BYTES = 64 * 1024
FIELDS = ("message_id", "buyer_nick", "text", "sent_at")


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
    for field in FIELDS:
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
    return {**data, "sent_at": sent_at}


@csrf_exempt
@require_POST
def channel_messages(request, channel_id: int):
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        return _error(413, "请求体超过 64 KiB。")
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        return _error(413, "请求体超过 64 KiB。")
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
        message, created = buyer_message_receive(
            channel=channel,
            buyer_nick=data["buyer_nick"],
            text=data["text"],
            external_id=data["message_id"].strip(),
            sent_at=data["sent_at"],
            now=now,
        )
    except InvalidMessage as error:
        return _error(400, str(error), error.field)
    return JsonResponse(
        {"conversation_id": message.conversation_id, "message_id": message.pk},
        status=201 if created else 200,
    )
