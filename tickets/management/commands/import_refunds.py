import json

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Shop
from helpdesk import clock
from tickets.errors import ImportFatal
from tickets.importing import import_refunds_file


class Command(BaseCommand):
    help = (
        "Import the platform's refund export (退款报表, CSV in UTF-8/GBK/GB18030) into "
        "after-sale tickets, idempotent by 退款单编号. Row errors are reported with line "
        "numbers and skipped; a fatal error writes nothing and exits 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--shop", required=True, help="shop code")
        parser.add_argument("--dry-run", action="store_true", help="check and roll back")
        parser.add_argument("--json", action="store_true", help="print the report as JSON last")

    def handle(self, *args, path, shop, dry_run, **options):
        shop_obj = Shop.objects.filter(code=shop).first()
        try:
            if shop_obj is None:
                raise ImportFatal(f"Unknown shop code {shop!r}.")
            report = import_refunds_file(
                shop=shop_obj, path=path, now=clock.now(), dry_run=dry_run
            ).as_dict()
        except ImportFatal as error:
            if options["json"]:
                self.stdout.write(
                    json.dumps(
                        {
                            "created": 0,
                            "updated": 0,
                            "unchanged": 0,
                            "errors": [{"line": 0, "message": str(error)}],
                        },
                        ensure_ascii=False,
                    )
                )
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        prefix = "[dry run] " if dry_run else ""
        self.stdout.write(
            f"{prefix}created {report['created']}, updated {report['updated']}, "
            f"unchanged {report['unchanged']}, errors {len(report['errors'])}"
        )
        for error in report["errors"]:
            self.stdout.write(f"  line {error['line']}: {error['message']}")
