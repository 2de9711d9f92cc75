"""The evidence pack for a platform appeal against extortion: one ZIP holding

- ``summary.html``: the review, the case note and every copied message, rendered by a
  Django template (auto-escaped: a buyer's text is never markup);
- ``messages.csv``: the copied messages (UTF-8 with BOM, so Excel opens it in Chinese),
  written by helpdesk.spreadsheets.writing, so a buyer's text never runs as a formula;
- ``messages.txt``: the same as plain lines, to paste into the appeal form.

It holds exactly the evidence copied for the review, in time order, nothing else. Each
message names its channel; only messages from a channel that proves identity (the
platform bridge) are called the buyer's own words. Web-chat messages, whose nick the
visitor typed, stand apart, marked unverified in every file (docs/reviews.md)."""

import io
import zipfile
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone

from helpdesk.spreadsheets.writing import write_csv

from .models import EvidenceMessage, Review

CSV_HEADER = ["发送时间", "买家", "会话编号", "渠道", "身份", "消息内容"]
VERIFIED = "已验证（平台消息）"
UNVERIFIED = "未验证（网页聊天，昵称由访客自填）"


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def pack_name(review: Review) -> str:
    return f"evidence-{review.shop.code}-{review.platform_order_id}-{review.pk}.zip"


def build_pack(review: Review, evidence: list[EvidenceMessage], *, now: datetime) -> bytes:
    rows = [
        (
            _local(m.sent_at),
            m.buyer_nick,
            str(m.conversation_id_copy),
            m.channel_name,
            VERIFIED if m.identity_verified else UNVERIFIED,
            m.text,
        )
        for m in evidence
    ]
    table = write_csv(CSV_HEADER, rows)
    text = (
        "\n".join(
            f"[{at}] [{channel}·{identity}] {nick}: {body}"
            for at, nick, _, channel, identity, body in rows
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
    return buffer.getvalue()
