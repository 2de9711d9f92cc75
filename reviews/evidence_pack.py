"""The evidence pack for a platform appeal against extortion: one ZIP holding

- ``summary.html``: the review, the case note and every copied message, rendered by a
  Django template (auto-escaped: a buyer's text is never markup);
- ``messages.csv``: the copied messages (UTF-8 with BOM, so Excel opens it in Chinese),
  written by helpdesk.spreadsheets.writing, so a buyer's text never runs as a formula;
- ``messages.txt``: the same as plain lines, to paste into the appeal form;
- ``images/``: the photos the buyer sent with those messages, as the helpdesk stored them
  (re-encoded, no EXIF), named ``<conversation>-<message>-<n>.<ext>`` in every file above.
  They are read from the copied messages' own images when the pack is built.

It holds exactly the evidence copied for the review, in time order, nothing else. Each
message names its channel; only messages from a channel that proves identity (the
platform bridge) are called the buyer's own words. Web-chat messages, whose nick the
visitor typed, stand apart, marked unverified in every file (docs/reviews.md)."""

import io
import zipfile
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone

from chats.models import MessageImage
from helpdesk.spreadsheets.writing import write_csv

from .models import EvidenceMessage, Review

CSV_HEADER = ["发送时间", "买家", "会话编号", "渠道", "身份", "消息内容", "图片"]
VERIFIED = "已验证（平台消息）"
UNVERIFIED = "未验证（网页聊天，昵称由访客自填）"


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def pack_name(review: Review) -> str:
    return f"evidence-{review.shop.code}-{review.platform_order_id}-{review.pk}.zip"


def evidence_images(evidence: list[EvidenceMessage]) -> dict[int, list[tuple[str, object]]]:
    """{evidence id: [(path in the pack, MessageImage)]}, one query."""
    by_message = {m.source_message_id: m.pk for m in evidence if m.source_message_id}
    found: dict[int, list[tuple[str, object]]] = {}
    images = MessageImage.objects.filter(message_id__in=list(by_message)).select_related("message")
    for image in images.order_by("message_id", "position"):
        name = (
            f"images/{image.message.conversation_id}-{image.message_id}-"
            f"{image.position + 1}.{image.extension}"
        )
        found.setdefault(by_message[image.message_id], []).append((name, image))
    return found


def build_pack(review: Review, evidence: list[EvidenceMessage], *, now: datetime) -> bytes:
    images = evidence_images(evidence)
    for m in evidence:
        m.image_names = [name for name, _image in images.get(m.pk, [])]
    rows = [
        (
            _local(m.sent_at),
            m.buyer_nick,
            str(m.conversation_id_copy),
            m.channel_name,
            VERIFIED if m.identity_verified else UNVERIFIED,
            m.text,
            " ".join(m.image_names),
        )
        for m in evidence
    ]
    table = write_csv(CSV_HEADER, rows)
    text = (
        "\n".join(
            f"[{at}] [{channel}·{identity}] {nick}: {body}" + (f" [图片: {names}]" if names else "")
            for at, nick, _, channel, identity, body, names in rows
        )
        + "\n"
    )
    summary = render_to_string(
        "reviews/evidence_summary.html",
        {
            "review": review,
            "verified": [m for m in evidence if m.identity_verified],
            "unverified": [m for m in evidence if not m.identity_verified],
            "generated_at": now,
        },
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.html", summary)
        archive.writestr("messages.csv", table)
        archive.writestr("messages.txt", text)
        for pairs in images.values():
            for name, image in pairs:
                try:
                    with image.file.open("rb") as handle:
                        archive.writestr(name, handle.read())
                except FileNotFoundError:
                    continue
    return buffer.getvalue()
