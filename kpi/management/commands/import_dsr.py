"""python manage.py import_dsr PATH --shop CODE [--dry-run] [--json]

Imports the shop's DSR (店铺动态评分) copied from the seller centre: a CSV or XLSX with the
columns 日期, 描述相符, 服务态度, 物流服务. All or nothing: with any bad row nothing is written
and every bad row is listed with its line. With --json the last line is one JSON object:
{"created": n, "updated": n, "unchanged": n, "errors": [{"line": n, "message": "…"}],
"dry_run": bool}."""

import json

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Shop
from helpdesk import clock
from kpi.dsr_import import DsrImportReport
from kpi.services import dsr_import
from orders.importing.errors import ImportFatal


class Command(BaseCommand):
    help = (
        "Import the shop's DSR scores (日期, 描述相符, 服务态度, 物流服务) from a CSV or XLSX file."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--shop", required=True, help="the shop's code")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )
        parser.add_argument(
            "--json", action="store_true", help="end with the report as one JSON line"
        )

    def handle(self, *args, path, shop, dry_run, **options):
        as_json = options["json"]
        target = Shop.objects.filter(code=shop).first()
        if target is None:
            raise CommandError(f"Unknown shop {shop!r}.")
        try:
            report = dsr_import(
                actor=None, shop=target, path=path, now=clock.now(), dry_run=dry_run
            )
        except ImportFatal as error:
            failed = error.report or DsrImportReport(errors=[{"line": None, "message": str(error)}])
            failed.dry_run = dry_run
            for row in failed.errors:
                if row["line"] is not None:
                    self.stderr.write(f"line {row['line']}: {row['message']}")
            if as_json:
                self.stdout.write(json.dumps(failed.as_dict(), ensure_ascii=False))
            raise CommandError(str(error)) from None
        summary = report.as_dict()
        if as_json:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            prefix = "Dry run: " if dry_run else ""
            self.stdout.write(
                f"{prefix}{summary['created']} created, {summary['updated']} updated, "
                f"{summary['unchanged']} unchanged."
            )
