"""``python -m servicedesk report feedback``: the kunddialog report in the terminal."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from servicedesk.db import session_scope
from servicedesk.feedback.export import format_decimal, report_csv, report_png
from servicedesk.feedback.period import PeriodError, comparison, period_or_year
from servicedesk.feedback.report import GROUP_LABELS, MEASURES, FeedbackReport, Group, build_report
from servicedesk.settings import get_settings

report_app = typer.Typer(help="Reports: the kunddialog (feedback) per förvaltning.")

_DAY = ["%Y-%m-%d"]


def render_table(report: FeedbackReport) -> str:
    """Return the report as an aligned text table with decimal commas."""
    header = [GROUP_LABELS[report.group], "Antal", *(label for _, label in MEASURES)]
    lines = [header]
    for row in [*report.rows, report.total]:
        means = row.current
        cells = [format_decimal(getattr(means, attr)) or "–" for attr, _ in MEASURES]
        lines.append([row.name, str(means.count), *cells])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]

    def fmt(line: list[str]) -> str:
        first = line[0].ljust(widths[0])
        return "  ".join([first, *(c.rjust(w) for c, w in zip(line[1:], widths[1:], strict=True))])

    rule = "-" * len(fmt(header))
    return "\n".join([fmt(header), rule, *(fmt(x) for x in lines[1:-1]), rule, fmt(lines[-1])])


@report_app.command("feedback")
def feedback_command(
    from_: Annotated[
        datetime | None, typer.Option("--from", formats=_DAY, help="First day (YYYY-MM-DD).")
    ] = None,
    to: Annotated[
        datetime | None, typer.Option("--to", formats=_DAY, help="Last day, included.")
    ] = None,
    group: Annotated[str, typer.Option(help="forvaltning, category or performer.")] = "forvaltning",
    compare_from: Annotated[
        datetime | None, typer.Option(formats=_DAY, help="Comparison period start.")
    ] = None,
    compare_to: Annotated[
        datetime | None, typer.Option(formats=_DAY, help="Comparison period end.")
    ] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="Also write the table here.")] = None,
    png: Annotated[Path | None, typer.Option("--png", help="Also draw the chart here.")] = None,
    database_url: Annotated[str | None, typer.Option(help="Database URL.")] = None,
) -> None:
    """Print Antal and the means per förvaltning (or category, performer) for a period."""
    if group not in GROUP_LABELS:
        raise typer.BadParameter(f"choose one of {', '.join(GROUP_LABELS)}", param_hint="--group")
    settings = get_settings()
    try:
        period = period_or_year(from_ and from_.date(), to and to.date(), settings.timezone)
        compare = comparison(compare_from and compare_from.date(), compare_to and compare_to.date())
    except PeriodError as exc:
        raise typer.BadParameter(str(exc)) from exc
    chosen: Group = group  # type: ignore[assignment]
    with session_scope(database_url) as session:
        report = build_report(
            session=session,
            period=period,
            group=chosen,
            compare=compare,
            timezone=settings.timezone,
        )
    typer.echo(f"Kunddialog {period.start} – {period.end}")
    typer.echo(render_table(report))
    if csv is not None:
        csv.write_text("\ufeff" + report_csv(report), encoding="utf-8")
        typer.echo(f"CSV: {csv}")
    if png is not None:
        png.write_bytes(report_png(report))
        typer.echo(f"PNG: {png}")
