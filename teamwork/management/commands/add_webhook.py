import json

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Shop
from helpdesk import clock
from teamwork.errors import WebhookUrlRefused
from teamwork.webhooks import webhook_endpoint_create


class Command(BaseCommand):
    help = "Register an outbound webhook endpoint for a shop and print its id and secret."

    def add_arguments(self, parser):
        parser.add_argument("--shop", required=True, help="shop code")
        parser.add_argument("--url", required=True, help="http(s) URL to POST events to")
        parser.add_argument("--events", required=True, help="comma-separated event names")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, shop, url, events, **options):
        shop_obj = Shop.objects.filter(code=shop).first()
        if shop_obj is None:
            raise CommandError(f"Unknown shop code {shop!r}.")
        try:
            endpoint = webhook_endpoint_create(
                actor=None, shop=shop_obj, url=url, events=events, now=clock.now()
            )
        except WebhookUrlRefused as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps({"id": endpoint.pk, "secret": endpoint.secret}))
        else:
            self.stdout.write(
                f"Webhook {endpoint.pk} for {shop_obj.code} ({', '.join(endpoint.events)}); "
                f"secret {endpoint.secret}"
            )
