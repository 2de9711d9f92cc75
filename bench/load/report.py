"""Read locust's CSV output and print one table: per endpoint, the requests, errors,
requests/s and p50/p95/p99 in milliseconds, and beside them the p50 of the same endpoint
in the baseline pass of the same run (one user of each kind, no import) with the ratio
loaded/baseline; then the errors grouped by message."""

import csv
import unicodedata
from pathlib import Path

COLUMNS = ("endpoint", "method", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms")
BASELINE_COLUMNS = ("base p50 ms", "p50 ×")


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


def display_width(text: str) -> int:
    """Terminal columns: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(rows: list[dict], columns: tuple[str, ...]) -> str:
    """A plain-text table, numbers right-aligned, aligned for Chinese text too."""
    cells = [[str(row[c]) for c in columns] for row in rows]
    widths = [
        max([display_width(c), *(display_width(r[i]) for r in cells)])
        for i, c in enumerate(columns)
    ]
    numeric = [
        c.endswith(("ms", "/s", "×")) or c in ("requests", "errors", "count") for c in columns
    ]

    def line(values):
        padded = []
        for value, width, number in zip(values, widths, numeric, strict=True):
            gap = " " * (width - display_width(value))
            padded.append(gap + value if number else value + gap)
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(columns), rule, *(line(r) for r in cells)])


def with_baseline(stats: list[dict], baseline: list[dict]) -> list[dict]:
    """Each row with the baseline's p50 for the same endpoint and the ratio; "-" where
    the baseline pass did not call the endpoint."""
    base = {(row["endpoint"], row["method"]): row for row in baseline if row["requests"]}
    joined = []
    for row in stats:
        found = base.get((row["endpoint"], row["method"]))
        p50 = found["p50 ms"] if found else None
        ratio = f"{row['p50 ms'] / p50:.1f}" if p50 else "-"
        joined.append({**row, "base p50 ms": p50 if p50 is not None else "-", "p50 ×": ratio})
    return joined


def render(prefix: Path, baseline: Path | None = None) -> str:
    stats = read_stats(Path(f"{prefix}_stats.csv"))
    columns = COLUMNS
    if baseline is not None and Path(f"{baseline}_stats.csv").exists():
        stats = with_baseline(stats, read_stats(Path(f"{baseline}_stats.csv")))
        columns = COLUMNS + BASELINE_COLUMNS
    text = table(stats, columns)
    failures = read_failures(Path(f"{prefix}_failures.csv"))
    if failures:
        text += "\n\nErrors by endpoint and message:\n" + table(
            failures, ("endpoint", "method", "count", "error")
        )
    return text
