"""The report's CSV (semicolons, decimal comma, comparison columns) and PNG chart."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from servicedesk.feedback.export import format_decimal, report_csv, report_png
from servicedesk.feedback.report import FeedbackReport, Means, Period, ReportRow


def means(count: int, *values: str | None) -> Means:
    decimals = [Decimal(v) if v is not None else None for v in values]
    return Means(count, *decimals)


def sample(compare: bool = False) -> FeedbackReport:
    previous = means(1, "5.00", "5.00", "5.00", "5.00") if compare else None
    rows = [
        ReportRow(
            "KLK", "Kommunledningskontoret", means(2, "7.50", "8.00", "6.50", "9.00"), previous
        ),
        ReportRow("SOC", "Socialförvaltningen", means(0, None, None, None, None), previous),
    ]
    total = ReportRow("", "Totalt", means(2, "7.50", "8.00", "6.50", "9.00"), previous)
    period = Period(date(2026, 1, 1), date(2026, 12, 31))
    return FeedbackReport(
        "forvaltning", period, Period(date(2025, 1, 1), date(2025, 12, 31)) if compare else None,
        rows, total, [],
    )  # fmt: skip


def test_decimals_get_a_swedish_comma() -> None:
    assert format_decimal(Decimal("7.5")) == "7,50"
    assert format_decimal(None) == ""


def test_csv_has_the_board_columns_and_a_total_row() -> None:
    lines = report_csv(sample()).splitlines()
    assert lines[0] == (
        "Förvaltning;Antal;Samlad bedömning;Återkoppling;Motsvarad förväntan;Bemötande"
    )
    assert lines[1] == "Kommunledningskontoret;2;7,50;8,00;6,50;9,00"
    assert lines[2] == "Socialförvaltningen;0;;;;"
    assert lines[3] == "Totalt;2;7,50;8,00;6,50;9,00"


def test_csv_puts_the_comparison_period_side_by_side() -> None:
    lines = report_csv(sample(compare=True)).splitlines()
    assert lines[0].endswith("Bemötande 2025-01-01–2025-12-31")
    assert lines[1] == "Kommunledningskontoret;2;7,50;8,00;6,50;9,00;1;5,00;5,00;5,00;5,00"


def test_png_chart_is_a_non_empty_png() -> None:
    data = report_png(sample())
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 5000
