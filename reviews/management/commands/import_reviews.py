"""python manage.py import_reviews PATH --shop CODE [--dry-run] [--strict] [--json]"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Shop
from helpdesk import clock
from reviews.importing import ImportFatal, reviews_import


class Command(BaseCommand):
    help = "Import the shop's review export (中评/差评) from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--shop", required=True, help="the shop's code")
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
        parser.add_argument("--strict", action="store_true", help="any row error is fatal")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, path, shop, dry_run, strict, **options):
        as_json = options["json"]
        try:
            target = Shop.objects.get(code=shop)
        except Shop.DoesNotExist:
            raise CommandError(f"Unknown shop {shop!r}.") from None
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        try:
            report = reviews_import(
                actor=None,
                shop=target,
                data=data,
                now=clock.now(),
                dry_run=dry_run,
                strict=strict,
            )
        except ImportFatal as error:
            if as_json:
                fatal = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
                self.stdout.write(
                    _dumps({**fatal, "errors": [{"line": None, "message": str(error)}]})
                )
            raise CommandError(str(error)) from None
        for error in report.errors:
            self.stderr.write(f"line {error['line']}: {error['message']}")
        summary = report.as_dict()
        if as_json:
            self.stdout.write(_dumps(summary))
        else:
            prefix = "Dry run: " if dry_run else ""
            self.stdout.write(
                f"{prefix}{summary['created']} created, {summary['updated']} updated, "
                f"{summary['unchanged']} unchanged, {summary['skipped']} positive skipped, "
                f"{len(summary['errors'])} row errors."
            )


def _dumps(summary: dict) -> str:
    return json.dumps(summary, ensure_ascii=False)
