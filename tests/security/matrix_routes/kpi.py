"""KPI pages, quality review, the shift handover, and the KPI report API."""

from django.core.files.uploadedfile import SimpleUploadedFile

from .base import HANDOVER, Route, pk_of, shop_query


def agent_of_shop(ctx, shop):
    return {"agent_id": ctx.member_of[shop.pk].pk}


def handover_form(ctx, shop):
    from django.utils import timezone

    from kpi.days import local_day

    return {**HANDOVER, "shop": shop.code, "shift_date": local_day(timezone.now())}


def dsr_form(ctx, shop):
    from django.utils import timezone

    from kpi.days import local_day

    return {
        "shop": shop.code,
        "day": local_day(timezone.now()),
        "description": "4.81",
        "service": "4.82",
        "logistics": "4.79",
    }


def dsr_file_preview(ctx, shop):
    body = "日期,描述相符,服务态度,物流服务\n2026-01-05,4.80,4.81,4.79\n".encode()
    return {"shop": shop.code, "dry_run": "1", "file": SimpleUploadedFile("dsr.csv", body)}


ROUTES: dict[str, Route] = {
    "kpi:dashboard": Route("kpi.dashboard", data=shop_query, shop_scoped=True),
    "kpi:export": Route("kpi.dashboard", data=shop_query, shop_scoped=True),
    "kpi:dsr": Route("kpi.dsr", data=shop_query, shop_scoped=True),
    "kpi:dsr#record": Route("kpi.dsr", method="post", data=dsr_form, shop_scoped=True),
    "kpi:dsr_import": Route("kpi.dsr", method="post", data=dsr_file_preview, shop_scoped=True),
    "kpi:dsr_import#form": Route("kpi.dsr"),
    "kpi:agents": Route("kpi.team", data=shop_query, shop_scoped=True),
    "kpi:agent": Route("kpi.team", agent_of_shop, data=shop_query, shop_scoped=True),
    "kpi:mine": Route("kpi.own"),
    "kpi:conversation": Route("qa.review", pk_of("conversation"), shop_scoped=True),
    "kpi:qa_queue": Route("qa.review", data=shop_query, shop_scoped=True),
    "kpi:qa_review": Route("qa.review", pk_of("qa_review"), shop_scoped=True),
    "kpi:qa_review#score": Route("qa.review", pk_of("qa_review"), method="post", shop_scoped=True),
    "kpi:qa_mystery": Route(
        "qa.review", pk_of("conversation", "conversation_id"), shop_scoped=True
    ),
    "kpi:qa_mystery#record": Route(
        "qa.review", pk_of("conversation", "conversation_id"), method="post", shop_scoped=True
    ),
    "kpi:handover": Route("handover.use", data=shop_query, shop_scoped=True),
    "kpi:handover#write": Route(
        "handover.use", method="post", data=handover_form, shop_scoped=True
    ),
    "kpi:handover_ack": Route("handover.use", pk_of("handover"), method="post", shop_scoped=True),
    "api-kpi-report": Route("kpi.dashboard", data=shop_query, shop_scoped=True),
}
