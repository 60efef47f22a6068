"""The first-message details measurement (nlu.details_eval)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from nlu.details_eval import DETAIL_FIELDS, main, matches, normalize, score

HEADER = ["text", "service", *DETAIL_FIELDS]


@pytest.mark.parametrize(
    ("field", "predicted", "gold", "same"),
    [
        ("location", "Kommunhuset, sal B", "kommunhuset, sal B.", True),
        ("location", "på Solgården", "Solgården", True),
        ("location", "matsalen", "i matsalen", True),
        ("location", "Solgården", "Björkskolan", False),
        ("destination", " Malmö!", "malmö", True),
        ("destination", "till Malmö", "Malmö", False),  # only a location drops "till"
        ("date", "2026-12-03", "2026-12-03", True),
        ("participants", "12", "15", False),
    ],
)
def test_matches_normalises_case_space_punctuation_and_location_prepositions(
    field: str, predicted: str, gold: str, same: bool
) -> None:
    assert matches(field, predicted, gold) is same


def test_normalize_keeps_inner_punctuation() -> None:
    assert normalize("location", "  I Kommunhuset, sal B!? ") == "kommunhuset, sal b"


def _row(text: str, service: str, **gold: str) -> dict[str, str]:
    return {"text": text, "service": service, **{f: gold.get(f, "") for f in DETAIL_FIELDS}}


def test_score_counts_only_the_services_order_fields() -> None:
    fields = {"KNF-02": ["date", "time", "participants", "location"], "IT-04": ["quantity"]}
    rows = [
        _row("Fika till 15 på torsdag i matsalen på Solgården", "KNF-02", date="2026-12-03",
             participants="15", location="matsalen på Solgården", destination="ignored"),
        _row("Fika för 8 personer", "KNF-02", participants="9"),  # wrong count
        _row("Ring 070-123 45 67", "IT-04"),  # nothing to find, nothing found
        _row("Fika", "XYZ-99", date="2026-12-03"),  # unknown service: no fields
    ]  # fmt: skip
    report = score(rows, fields)
    assert report["n"] == 4
    f = report["fields"]
    assert f["participants"] == {"precision": 0.5, "recall": 0.5, "support": 2, "predicted": 2}
    assert f["date"] == {"precision": 1.0, "recall": 1.0, "support": 1, "predicted": 1}
    assert f["location"]["recall"] == 1.0
    assert f["destination"] == {"precision": 0.0, "recall": 0.0, "support": 0, "predicted": 0}
    assert report["micro_precision"] == 0.75 and report["micro_recall"] == 0.75


def test_cli_prints_aggregates_and_a_json_last_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = tmp_path / "cases.csv"
    with cases.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=HEADER)
        writer.writeheader()
        writer.writerow(
            _row(
                "Tåg till Malmö den 3 december, hem den 4 december",
                "RES-01",
                destination="Malmö",
                date="2026-12-03",
                return_date="2026-12-04",
            )
        )
        writer.writerow(_row("Vi behöver tre kontorsstolar", "MOB-01", quantity="3"))
    catalogue = tmp_path / "catalogue.json"
    catalogue.write_text(json.dumps([
        {"code": "RES-01", "order_fields": ["destination", "date", "return_date", "participants"]},
        {"code": "MOB-01", "order_fields": ["location", "quantity", "description", "date"]},
    ]), encoding="utf-8")  # fmt: skip
    assert main(["--cases", str(cases), "--catalogue-json", str(catalogue)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    report = json.loads(lines[-1])
    assert set(report) == {"n", "fields", "micro_precision", "micro_recall"}
    assert report["n"] == 2 and report["micro_precision"] == 1.0 and report["micro_recall"] == 1.0
    assert set(report["fields"]) == set(DETAIL_FIELDS)
    assert set(report["fields"]["date"]) == {"precision", "recall", "support", "predicted"}
    assert not any("Malmö" in line or "kontorsstolar" in line for line in lines)  # aggregates only
