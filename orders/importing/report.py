"""What an import did, in the shape the command's --json prints and the page shows."""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_ERRORS_KEPT = 1000


@dataclass
class ImportReport:
    kind: str = "orders"
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    errors: list[dict] = field(default_factory=list)
    errors_total: int = 0
    problems: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    def error(self, line: int, message: str) -> None:
        """Keep the first MAX_ERRORS_KEPT row errors (a file broken on every line says
        so in its first thousand) and count them all."""
        self.errors_total += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append({"line": line, "message": message})

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def as_dict(self) -> dict:
        """The issue's JSON shape first, then what the page adds (kind, warnings, totals)."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": sorted(self.errors, key=lambda error: error["line"]),
            "problems": dict(sorted(self.problems.items())),
            "kind": self.kind,
            "rows": self.rows,
            "errors_total": self.errors_total,
            "warnings": self.warnings,
            "dry_run": self.dry_run,
        }

    def summary(self) -> str:
        text = _("新增 %(created)s，更新 %(updated)s，未变 %(unchanged)s，错误 %(errors)s 行") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": self.errors_total,
        }
        if self.problems:
            text += _("；新开问题订单 %(count)s 个") % {"count": sum(self.problems.values())}
        return text
