import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from accounts.models import Shop
from chats.models import Channel, ChannelKind


class Command(BaseCommand):
    help = (
        "Create a message channel for a shop and print its id and signing secret. "
        "With --webhook it is a bridge channel: agent replies are POSTed there."
    )

    def add_arguments(self, parser):
        parser.add_argument("shop_code")
        parser.add_argument("name")
        parser.add_argument("--webhook", help="outbound webhook URL (makes a bridge channel)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, shop_code, name, webhook, **options):
        shop = Shop.objects.filter(code=shop_code).first()
        if shop is None:
            raise CommandError(f"Unknown shop code {shop_code!r}.")
        if webhook:
            try:
                URLValidator(schemes=["http", "https"])(webhook)
            except ValidationError:
                raise CommandError(f"--webhook {webhook!r} is not an http(s) URL.") from None
        channel = Channel.objects.create(
            shop=shop,
            name=name,
            kind=ChannelKind.BRIDGE if webhook else ChannelKind.WEBCHAT,
            webhook_url=webhook or "",
        )
        if options["json"]:
            self.stdout.write(json.dumps({"id": channel.pk, "secret": channel.secret}))
        else:
            self.stdout.write(
                f"Created {channel.get_kind_display()} channel {channel.pk} for {shop.code}; "
                f"secret {channel.secret}"
            )
