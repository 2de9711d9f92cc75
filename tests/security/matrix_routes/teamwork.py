"""Team collaboration: webhook settings, internal notes, tags, routing rules."""

from .base import Route, builder, now, pk_of, shop_query


@builder("webhook")
def _webhook(ctx, shop):
    from teamwork.models import WebhookEndpoint

    return WebhookEndpoint.objects.create(
        shop=shop, url="http://93.184.216.34/hook", events=["ticket.created"], created_at=now()
    )


def webhook_form(ctx, shop):
    return {"shop": shop.code, "url": "http://93.184.216.34/hook", "events": ["ticket.created"]}


ROUTES: dict[str, Route] = {
    "teamwork:webhooks": Route("webhooks.manage", data=shop_query, shop_scoped=True),
    "teamwork:webhooks#create": Route(
        "webhooks.manage",
        method="post",
        data=webhook_form,
        shop_scoped=True,
    ),
    "teamwork:webhook_test": Route(
        "webhooks.manage", pk_of("webhook"), method="post", shop_scoped=True
    ),
    "teamwork:webhook_active": Route(
        "webhooks.manage", pk_of("webhook"), method="post", data={"active": "0"}, shop_scoped=True
    ),
}
