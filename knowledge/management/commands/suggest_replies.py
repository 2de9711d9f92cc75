import json as jsonlib
import time

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Shop

from ...analysis import terms
from ...sources import engine_for


class Command(BaseCommand):
    help = "Suggested replies for a buyer message, from the knowledge base, scripts and history."

    def add_arguments(self, parser):
        parser.add_argument("--shop", required=True, help="shop code")
        parser.add_argument("--text", required=True, help="the buyer's message")
        parser.add_argument("--item", default="", help="the product the buyer asks about")
        parser.add_argument("--limit", type=int, default=3)
        parser.add_argument("--json", action="store_true", help="print one JSON line")

    def handle(self, *args, shop, text, item, limit, json: bool, **options):
        try:
            shop_obj = Shop.objects.get(code=shop)
        except Shop.DoesNotExist:
            raise CommandError(f"No shop with code {shop!r}.") from None
        engine = engine_for(shop_obj)
        terms("")  # the segmenter's dictionary loads once per process, before the clock
        started = time.perf_counter()
        suggestions = engine.suggest(text, item=item, limit=max(limit, 0))
        elapsed = (time.perf_counter() - started) * 1000
        if json:
            payload = {"suggestions": [s.as_dict() for s in suggestions], "ms": round(elapsed, 2)}
            self.stdout.write(jsonlib.dumps(payload, ensure_ascii=False))
            return
        for s in suggestions:
            mark = "*" if s.confident else " "
            self.stdout.write(f"{mark} [{s.source}:{s.key}] {s.score:.2f} {s.text}")
