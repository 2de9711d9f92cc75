from helpdesk.jobs import register_job

from .delivery import webhook_deliver_due


@register_job("webhook_deliveries")
def webhook_deliveries(*, shop=None, now):
    """Send the webhook deliveries due now (first attempts and retries)."""
    return webhook_deliver_due(shop=shop, now=now)
