"""``kpi_report --shop CODE --date YYYY-MM-DD [--json]``: one day's figures, the same numbers
the dashboard shows. A finished day is rolled up first (the same upsert as the kpi_rollup
job), so the report and the dashboard read the same rows; today is computed live. The
shop's "dsr" is the latest DSR record at most 30 days old on that day (kpi.dsr), or null."""

import json
from datetime import date as date_type

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Shop
from helpdesk import clock
from kpi.compute import rollup_day
from kpi.days import local_day
from kpi.definitions import BY_KEY
from kpi.dsr import DSR_LABELS, dsr_as_of
from kpi.selectors import day_report, report_json


def _text(key: str, value) -> str:
    if value is None:
        return "无数据"
    kind = BY_KEY[key].kind
    if kind == "rate":
        return f"{value:.1%}"
    if kind in ("seconds", "ratio", "score"):
        return f"{value:.1f}"
    if kind == "categories":
        return ", ".join(f"{k}={v}" for k, v in sorted(value.items())) or "0"
    return str(value)


class Command(BaseCommand):
    help = "Print one day's KPI figures for a shop (the dashboard's numbers)."

    def add_arguments(self, parser):
        parser.add_argument("--shop", required=True, help="shop code")
        parser.add_argument("--date", required=True, help="the day, YYYY-MM-DD (Asia/Shanghai)")
        parser.add_argument("--json", action="store_true", help="print one JSON object last")

    def handle(self, *args, shop, date: str, **options):
        try:
            day = date_type.fromisoformat(date)
        except ValueError:
            raise CommandError(f"--date {date!r} is not a day; expected YYYY-MM-DD") from None
        shop_obj = Shop.objects.filter(code=shop).first()
        if shop_obj is None:
            raise CommandError(f"Unknown shop code {shop!r}.")
        now = clock.now()
        if day < local_day(now):
            rollup_day(shop_obj, day, now=now)
        if options["json"]:
            self.stdout.write(json.dumps(report_json(shop_obj, day, now=now), ensure_ascii=False))
            return
        shop_figures, agents = day_report(shop_obj, day, now=now)
        self._print(f"{shop_obj.name} {day.isoformat()}", shop_figures)
        dsr = dsr_as_of(shop_obj, day)
        self.stdout.write(
            "  DSR: "
            + (
                " / ".join(f"{DSR_LABELS[key]} {value}" for key, value in dsr.items())
                if dsr
                else "无数据"
            )
        )
        for agent in agents:
            self._print(agent.agent.label, agent.figures)

    def _print(self, title: str, figures: dict) -> None:
        self.stdout.write(f"== {title}")
        for key, value in figures.items():
            self.stdout.write(f"  {BY_KEY[key].label}: {_text(key, value)}")
