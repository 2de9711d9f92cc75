import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Shop
from helpdesk.clock import now

from ...errors import KnowledgeImportError
from ...services import knowledge_import


class Command(BaseCommand):
    help = (
        "Import a shop's knowledge base (CSV or XLSX; columns 编号,问题,相似问法,答案,适用商品,分类). "
        "Entries are updated by 编号. Any bad row: nothing is written, exit 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--shop", required=True, help="shop code")
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
        parser.add_argument("--json", action="store_true", help="print one JSON line")

    def handle(self, *args, path, shop, dry_run, json: bool, **options):
        try:
            shop_obj = Shop.objects.get(code=shop)
        except Shop.DoesNotExist:
            raise CommandError(f"No shop with code {shop!r}.") from None
        try:
            counts = knowledge_import(
                actor=None, shop=shop_obj, path=path, now=now(), dry_run=dry_run
            )
        except KnowledgeImportError as error:
            if json:
                self._print(
                    {"created": 0, "updated": 0, "unchanged": 0},
                    [{"line": line, "message": message} for line, message in error.errors],
                )
            else:
                for line, message in error.errors:
                    self.stderr.write(f"line {line}: {message}")
            raise CommandError("Nothing was imported.") from None
        if json:
            self._print(counts, [])
        else:
            self.stdout.write(
                "created {created}, updated {updated}, unchanged {unchanged}".format(**counts)
                + (" (dry run)" if dry_run else "")
            )

    def _print(self, counts: dict, errors: list) -> None:
        self.stdout.write(jsonlib.dumps({**counts, "errors": errors}, ensure_ascii=False))
