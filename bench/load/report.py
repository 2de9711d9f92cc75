"""Read locust's CSV output and print one table: per endpoint, the requests, errors,
requests/s and p50/p95/p99 in milliseconds; then the errors grouped by message."""

import csv
from pathlib import Path

COLUMNS = ("endpoint", "method", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms")


def _int(value: str) -> int:
    try:
        return round(float(value))
    except (TypeError, ValueError):
        return 0


def read_stats(path: Path) -> list[dict]:
    """Rows of ``<prefix>_stats.csv``, the Aggregated line last."""
    rows = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "endpoint": row["Name"],
                    "method": row["Type"],
                    "requests": _int(row["Request Count"]),
                    "errors": _int(row["Failure Count"]),
                    "req/s": f"{float(row['Requests/s'] or 0):.1f}",
                    "p50 ms": _int(row["50%"]),
                    "p95 ms": _int(row["95%"]),
                    "p99 ms": _int(row["99%"]),
                }
            )
    rows.sort(key=lambda r: (r["endpoint"] == "Aggregated", r["endpoint"], r["method"]))
    return rows


def read_failures(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return [
            {
                "endpoint": row["Name"],
                "method": row["Method"],
                "error": row["Error"],
                "count": _int(row["Occurrences"]),
            }
            for row in csv.DictReader(handle)
        ]


def table(rows: list[dict], columns: tuple[str, ...]) -> str:
    """A plain-text table, numbers right-aligned, wide enough for Chinese text too."""
    cells = [[str(row[c]) for c in columns] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    numeric = [
        all(isinstance(row[c], int) or c.endswith(("ms", "/s")) for row in rows) for c in columns
    ]

    def line(values):
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(columns), rule, *(line(r) for r in cells)])


def render(prefix: Path) -> str:
    stats = read_stats(Path(f"{prefix}_stats.csv"))
    text = table(stats, COLUMNS)
    failures = read_failures(Path(f"{prefix}_failures.csv"))
    if failures:
        text += "\n\nErrors by endpoint and message:\n" + table(
            failures, ("endpoint", "method", "count", "error")
        )
    return text
