"""The command line: exit codes, the summary, HTTP and JSON sources, generated NLU files."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import yaml
from typer.testing import Result

from tests.integration.catalogue_sync.conftest import DEPARTMENTS_CSV, SERVICES_CSV

Cli = Callable[..., Result]


def nlu_examples(nlu_dir: Path) -> list[str]:
    data = yaml.safe_load((nlu_dir / "catalogue_nlu.yml").read_text(encoding="utf-8"))
    intent = next(item for item in data["nlu"] if item.get("intent") == "request_service")
    return [line.removeprefix("- ") for line in intent["examples"].splitlines()]


def test_sync_prints_summary_and_exits_zero(cli: Cli, nlu_dir: Path) -> None:
    result = cli(SERVICES_CSV, "--departments", DEPARTMENTS_CSV)
    assert result.exit_code == 0, result.output
    assert "added" in result.output and "41" in result.output
    assert {p.name for p in nlu_dir.iterdir()} == {
        "catalogue.json",
        "catalogue_nlu.yml",
        "catalogue.sha256",
    }


def test_second_run_reports_nothing_added_and_leaves_files(cli: Cli, nlu_dir: Path) -> None:
    cli(SERVICES_CSV)
    stamps = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in nlu_dir.iterdir()}
    result = cli(SERVICES_CSV)
    assert result.exit_code == 0
    assert "NLU files written: none (up to date)" in result.output
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in nlu_dir.iterdir()} == stamps


def test_rejected_rows_give_exit_code_two_and_are_listed(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    text = SERVICES_CSV.read_text(encoding="utf-8")
    source.write_text(text.replace("Lokalvård,24,", "Lokalvård,abc,", 1), encoding="utf-8")
    result = cli(source)
    assert result.exit_code == 2
    assert "line 2, column sla_hours: must be a positive integer, got 'abc'" in result.output


def test_strict_rejection_is_fatal(cli: Cli, tmp_path: Path, nlu_dir: Path) -> None:
    source = tmp_path / "bad.csv"
    text = SERVICES_CSV.read_text(encoding="utf-8")
    source.write_text(text.replace(",order,", ",orderr,", 1), encoding="utf-8")
    result = cli(source, "--strict")
    assert result.exit_code == 1
    assert "rows rejected in strict mode; nothing written" in " ".join(result.output.split())
    assert not nlu_dir.exists()


def test_missing_columns_and_empty_file_are_fatal(cli: Cli, tmp_path: Path) -> None:
    header_only = tmp_path / "cols.csv"
    header_only.write_text("code,name\nA-01,X\n", encoding="utf-8")
    result = cli(header_only)
    assert result.exit_code == 1 and "lacks required columns" in result.output
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert cli(empty).exit_code == 1
    assert cli(tmp_path / "missing.csv").exit_code == 1


def test_json_source(cli: Cli, tmp_path: Path, nlu_dir: Path) -> None:
    item = {
        "code": "IT-09",
        "kind": "fråga",
        "category": "IT",
        "name": "Fråga om skrivare",
        "price_sek": "0,00",
        "sla_hours": 8,
        "order_fields": ["description"],
        "keywords": ["skrivaren", "utskrift"],
    }
    source = tmp_path / "catalogue.json"
    source.write_text(json.dumps({"services": [item]}, ensure_ascii=False), encoding="utf-8")
    result = cli(source)
    assert result.exit_code == 0, result.output
    catalogue = json.loads((nlu_dir / "catalogue.json").read_text(encoding="utf-8"))
    assert [s["code"] for s in catalogue] == ["IT-09"]
    assert catalogue[0]["kind"] == "question" and catalogue[0]["price_sek"] == "0.00"


def test_http_source(cli: Cli, http_root: tuple[Path, str], nlu_dir: Path) -> None:
    root, base = http_root
    shutil.copy(SERVICES_CSV, root / "export")  # no extension: the content type decides
    shutil.copy(SERVICES_CSV, root / "tjanstekatalog.csv")
    assert cli(f"{base}/tjanstekatalog.csv").exit_code == 0
    assert cli(f"{base}/export").exit_code == 0
    result = cli(f"{base}/missing.csv")
    assert result.exit_code == 1 and "HTTP 404" in result.output


def test_generated_nlu_covers_active_and_drops_retired(
    cli: Cli, tmp_path: Path, nlu_dir: Path
) -> None:
    cli(SERVICES_CSV)
    assert "akut sanering" in nlu_examples(nlu_dir)
    sha_before = (nlu_dir / "catalogue.sha256").read_text()
    source = tmp_path / "less.csv"
    lines = SERVICES_CSV.read_text(encoding="utf-8").splitlines(keepends=True)
    source.write_text("".join(ln for ln in lines if not ln.startswith("LOK-05,")), "utf-8")
    assert cli(source).exit_code == 0
    examples = nlu_examples(nlu_dir)
    catalogue = json.loads((nlu_dir / "catalogue.json").read_text(encoding="utf-8"))
    assert len(catalogue) == 40 and "LOK-05" not in {s["code"] for s in catalogue}
    assert not any("sanering" in e for e in examples)
    for service in catalogue:
        assert service["name"].lower() in examples
    assert all(e == e.lower() for e in examples) and len(examples) == len(set(examples))
    assert (nlu_dir / "catalogue.sha256").read_text() != sha_before


def test_large_file_shows_progress(cli: Cli, tmp_path: Path) -> None:
    header, *rows = SERVICES_CSV.read_text(encoding="utf-8").splitlines()
    many = [row.replace(row.split(",")[0], f"GEN-{n:03}", 1) for n, row in enumerate(rows * 6)]
    source = tmp_path / "large.csv"
    source.write_text("\n".join([header, *many]) + "\n", encoding="utf-8")
    result = cli(source)
    assert result.exit_code == 0, result.output
    assert "Validating" in result.output and "246/246" in result.output
