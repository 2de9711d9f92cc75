import json

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Shop
from scripts_lib.buyer_texts import check_all


class Command(BaseCommand):
    help = (
        "Run the etiquette checker over every text that can reach a buyer: the shipped texts "
        "and the scripts library (with --shop, only that shop's scripts). Exit 1 on findings."
    )

    def add_arguments(self, parser):
        parser.add_argument("--shop", help="shop code: check only the scripts this shop uses")
        parser.add_argument(
            "--json",
            action="store_true",
            help='print one line: {"checked": N, "findings": [{"source", "key", "rules"}]}',
        )

    def handle(self, *args, shop=None, **options):
        shop_obj = None
        if shop:
            shop_obj = Shop.objects.filter(code=shop).first()
            if shop_obj is None:
                raise CommandError(f"No shop with code {shop!r}.")
        checked, findings = check_all(shop_obj)
        if options["json"]:
            payload = {"checked": checked, "findings": [f.as_dict() for f in findings]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
        else:
            for finding in findings:
                self.stdout.write(f"{finding.source} {finding.key}: {' '.join(finding.rules)}")
            self.stdout.write(f"Checked {checked} texts, {len(findings)} with findings.")
        if findings:
            raise SystemExit(1)
