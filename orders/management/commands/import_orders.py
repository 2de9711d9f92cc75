import json

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Shop
from helpdesk import clock
from orders.importing import ImportFatal, ImportReport, import_file
from orders.models import ImportKind


class Command(BaseCommand):
    help = (
        "Import a Taobao/Tmall order report (订单报表) or item report (宝贝报表), CSV or XLSX. "
        "Row errors are reported by file line; a fatal error writes nothing and exits 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--shop", required=True, help="shop code")
        parser.add_argument(
            "--kind",
            choices=[ImportKind.ORDERS, ImportKind.ITEMS],
            help="default: detected from the header",
        )
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
        parser.add_argument("--strict", action="store_true", help="any row error is fatal")
        parser.add_argument(
            "--json", action="store_true", help="print the report as one JSON line, last"
        )

    def handle(self, *args, path, shop, kind, dry_run, strict, json: bool, **options):
        try:
            shop_obj = Shop.objects.get(code=shop)
        except Shop.DoesNotExist:
            raise CommandError(f"No shop with code {shop!r}.") from None
        try:
            report = import_file(
                path, shop=shop_obj, now=clock.now(), kind=kind, dry_run=dry_run, strict=strict
            )
        except ImportFatal as fatal:
            if json:
                self._print_json(fatal.report or ImportReport(dry_run=dry_run), fatal=str(fatal))
            raise CommandError(str(fatal)) from None
        if json:
            self._print_json(report)
            return
        self._print_text(report)

    def _print_json(self, report: ImportReport, fatal: str | None = None) -> None:
        data = report.as_dict()
        if fatal:
            data["fatal"] = fatal
        self.stdout.write(json_dumps(data))

    def _print_text(self, report: ImportReport) -> None:
        prefix = "[dry run] " if report.dry_run else ""
        self.stdout.write(prefix + report.summary())
        for error in report.as_dict()["errors"]:
            self.stdout.write(f"  第 {error['line']} 行：{error['message']}")
        if report.errors_total > len(report.errors):
            self.stdout.write(f"  …… 共 {report.errors_total} 行错误")
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"  注意：{warning}"))
        for category, count in sorted(report.problems.items()):
            self.stdout.write(f"  问题订单 {category}: {count}")


def json_dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)
