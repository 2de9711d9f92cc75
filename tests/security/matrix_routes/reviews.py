"""Negative reviews (中差评): the list, the register, the case page, and the API."""

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role

from .base import Route, pk_of

review_pk = pk_of("review")
# A review write an allowed role may see answered 400/409 once an earlier role acted.
SETTLED = frozenset({400, 409})


def review_post(data=None) -> Route:
    return Route(
        "reviews.work", review_pk, method="post", shop_scoped=True, data=data or {}, also_ok=SETTLED
    )


def review_export_preview(ctx, shop):
    header = "订单编号,买家昵称,评价结果,评价内容,评价时间\n".encode()
    return {"shop": shop.code, "dry_run": "1", "file": SimpleUploadedFile("r.csv", header)}


DRAFT = {"kind": "public_reply", "text": "亲，非常抱歉给您带来不便"}

ROUTES: dict[str, Route] = {
    "reviews:list": Route("reviews.view"),
    "reviews:register": Route("reviews.view"),
    "reviews:register_xlsx": Route("reviews.view"),
    "reviews:import": Route(
        "reviews.work", method="post", data=review_export_preview, shop_scoped=True
    ),
    "reviews:import#form": Route("reviews.work"),
    "reviews:import_sample": Route("reviews.work"),
    "reviews:detail": Route("reviews.view", review_pk, shop_scoped=True),
    "reviews:transition": review_post({"action": "contact"}),
    "reviews:assign": review_post(),
    "reviews:draft_check": review_post(DRAFT),
    "reviews:draft_save": review_post(DRAFT),
    "reviews:mark_extortion": review_post({"note": "买家要求返现才改评"}),
    "reviews:select_evidence": review_post(),
    "reviews:evidence_pack": Route("reviews.work", review_pk, shop_scoped=True),
    "api-reviews": Route("reviews.view"),
    # Recording a review: a minimal body is a 400 for the roles that may.
    "api-reviews#create": Route(
        "reviews.work",
        method="post",
        data=lambda ctx, shop: {"shop": shop.code},
        also_ok=frozenset({400}),
        shop_scoped=True,
        foreign_status=frozenset({400}),
    ),
    "api-review": Route("reviews.view", review_pk, shop_scoped=True),
    "api-review-transition": review_post({"action": "contact"}),
    "api-review-assign": review_post(
        lambda ctx, shop: {"assignee": ctx.staff[Role.REVIEW_SPECIALIST].pk}
    ),
    "api-review-drafts": review_post(DRAFT),
    "api-review-extortion": review_post({"note": "买家要求返现才改评"}),
    "api-review-evidence": review_post(),
    # 400 for an allowed role: the pack exists only for a review marked as extortion.
    "api-review-evidence-pack": Route(
        "reviews.work", review_pk, shop_scoped=True, also_ok=frozenset({400})
    ),
}
