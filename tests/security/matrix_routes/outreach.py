"""Scheduled messaging: the outbox and the managers' job schedules."""

from .base import Route, pk_of, shop_query


def job(ctx, shop):
    ctx.obj("schedules", ctx.shop)
    return {"job_name": "outbox_retry"}


ROUTES: dict[str, Route] = {
    "outreach:outbox": Route("outreach.view", data=shop_query, shop_scoped=True),
    "outreach:outbox_retry": Route(
        "outreach.view", pk_of("outbox"), method="post", shop_scoped=True
    ),
    "outreach:jobs": Route("jobs.manage"),
    "outreach:job_schedule": Route(
        "jobs.manage",
        job,
        method="post",
        data={"outbox_retry-every_minutes": 2, "outbox_retry-enabled": "on"},
    ),
    "outreach:job_run": Route("jobs.manage", job, method="post"),
}
