import json
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Shop
from helpdesk import clock
from helpdesk.jobs import job_names, run_job


def parse_at(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--at {value!r} is not a time; expected ISO-8601 such as 2026-11-23T10:30:00+08:00"
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = "Run a scheduled job now, or at a chosen time, for one shop or all."

    def add_arguments(self, parser):
        parser.add_argument("name", help="job name")
        parser.add_argument("--shop", help="shop code (default: every shop)")
        parser.add_argument("--at", help="the time the job acts at, ISO-8601 (default: now)")
        parser.add_argument("--json", action="store_true", help="print one JSON object last")

    def handle(self, *args, name, shop, at, **options):
        now = parse_at(at) if at else clock.now()
        if name not in job_names():
            raise CommandError(f"Unknown job {name!r}. Known jobs: {', '.join(job_names())}")
        shop_obj = None
        if shop:
            shop_obj = Shop.objects.filter(code=shop).first()
            if shop_obj is None:
                raise CommandError(f"Unknown shop code {shop!r}.")
        report = run_job(name, shop=shop_obj, now=now)
        if not options["json"]:
            for key, value in report.items():
                self.stdout.write(f"{key}: {value}")
        else:
            self.stdout.write(json.dumps(report, ensure_ascii=False, default=str))
