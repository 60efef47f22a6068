"""The kunddialog report as CSV (Swedish Excel: semicolons, decimal comma) and a PNG chart."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from servicedesk.feedback.report import GROUP_LABELS, MEASURES, FeedbackReport, Means

__all__ = ["format_decimal", "report_csv", "report_png"]


def format_decimal(value: Decimal | None) -> str:
    """Two decimals with a Swedish decimal comma ("7,50"); empty without a value."""
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _cells(means: Means | None) -> list[str]:
    if means is None:
        return []
    return [str(means.count)] + [format_decimal(getattr(means, attr)) for attr, _ in MEASURES]


def report_csv(report: FeedbackReport) -> str:
    """Return the table (with the comparison columns when compared) as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    header = [GROUP_LABELS[report.group], "Antal", *(label for _, label in MEASURES)]
    if report.compare is not None:
        suffix = f" {report.compare.start.isoformat()}–{report.compare.end.isoformat()}"
        header += [f"Antal{suffix}", *(f"{label}{suffix}" for _, label in MEASURES)]
    writer.writerow(header)
    for row in [*report.rows, report.total]:
        writer.writerow([row.name, *_cells(row.current), *_cells(row.previous)])
    return out.getvalue()


def report_png(report: FeedbackReport) -> bytes:
    """Draw the four means per group as grouped bars and return the PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    rows = report.rows
    figure = Figure(figsize=(max(8.0, 1.1 * len(rows) + 3), 5.5), dpi=100)
    axes = figure.subplots()
    width = 0.8 / len(MEASURES)
    positions = range(len(rows))
    for index, (attr, label) in enumerate(MEASURES):
        values = [float(getattr(r.current, attr) or 0) for r in rows]
        axes.bar([p + (index - 1.5) * width for p in positions], values, width, label=label)
    axes.set_xticks(list(positions))
    axes.set_xticklabels(
        [f"{r.name}\n(n={r.current.count})" for r in rows], rotation=30, ha="right", fontsize=8
    )
    axes.set_ylim(0, 10)
    axes.set_ylabel("Medelvärde (1–10)")
    period = f"{report.period.start.isoformat()} – {report.period.end.isoformat()}"
    axes.set_title(f"Kunddialog per {GROUP_LABELS[report.group].lower()}, {period}")
    axes.legend(loc="upper right", fontsize=8, ncols=2)
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
