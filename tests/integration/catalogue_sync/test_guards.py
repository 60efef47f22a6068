"""Guards against implausible syncs: a truncated export must not retire the catalogue, a
huge one must not write megabytes of NLU data, and a broken one must report its errors in
one pass, briefly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import Result

from catalogue_sync import SyncOptions, run_sync
from servicedesk.catalogue import get_service, list_active_services
from servicedesk.settings import get_settings
from tests.integration.catalogue_sync.conftest import SERVICES_CSV

Cli = Callable[..., Result]
Sessions = Callable[[], Session]
REPO = Path(__file__).resolve().parents[3]
HEADER, *ROWS = SERVICES_CSV.read_text(encoding="utf-8").splitlines()


def flat(text: str) -> str:
    """The output without rich's line wrapping."""
    return " ".join(text.split())


def write_rows(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def snapshot(nlu_dir: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in nlu_dir.iterdir()}


def active_codes(session: Sessions) -> set[str]:
    with session() as s:
        return {service.code for service in list_active_services(session=s)}


@pytest.fixture
def synced(cli: Cli, nlu_dir: Path, session: Sessions) -> set[str]:
    """The default catalogue, synced once: 41 active services and their NLU files."""
    assert cli(SERVICES_CSV).exit_code == 0
    codes = active_codes(session)
    assert len(codes) == 41
    return codes


@pytest.fixture
def clean_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Set SERVICEDESK_* variables for one test, with the settings cache cleared around it."""

    def setenv(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"SERVICEDESK_{name.upper()}", value)
        get_settings.cache_clear()

    yield setenv
    monkeypatch.undo()
    get_settings.cache_clear()


def test_a_truncated_export_retires_nothing(
    cli: Cli, synced: set[str], nlu_dir: Path, session: Sessions, tmp_path: Path
) -> None:
    before = snapshot(nlu_dir)
    truncated = write_rows(tmp_path / "truncated.csv", ROWS[:3])
    result = cli(truncated)
    assert result.exit_code == 1, result.output
    output = flat(result.output)
    assert "refusing to retire 38 of 41 active services (92.7%), more than the allowed 20%" in (
        output
    )
    assert f"The source {truncated} has 3 valid services" in output
    assert "and 28 more. Run again with --allow-retire" in output
    assert active_codes(session) == synced
    assert snapshot(nlu_dir) == before


def test_allow_retire_retires_what_the_source_leaves_out(
    cli: Cli, synced: set[str], session: Sessions, tmp_path: Path
) -> None:
    result = cli(write_rows(tmp_path / "three.csv", ROWS[:3]), "--allow-retire")
    assert result.exit_code == 0, result.output
    assert active_codes(session) == {row.split(",")[0] for row in ROWS[:3]}
    with session() as s:
        gone = get_service(session=s, code=ROWS[-1].split(",")[0])
        assert gone is not None and not gone.active and gone.retired_at is not None


def test_retiring_up_to_the_share_needs_no_flag(
    cli: Cli, synced: set[str], session: Sessions, tmp_path: Path
) -> None:
    # 8 of 41 is 19.5 %, under the default 20 %.
    assert cli(write_rows(tmp_path / "minus8.csv", ROWS[8:])).exit_code == 0
    assert len(active_codes(session)) == 33


def test_the_share_comes_from_the_flag_or_the_setting(
    cli: Cli,
    synced: set[str],
    session: Sessions,
    tmp_path: Path,
    clean_settings: Callable[..., None],
) -> None:
    minus9 = write_rows(tmp_path / "minus9.csv", ROWS[9:])  # 9 of 41: 22.0 %
    refused = cli(minus9)
    assert refused.exit_code == 1
    assert "refusing to retire 9 of 41 active services (22%)" in flat(refused.output)
    assert cli(minus9, "--max-retire-share", "0.1", "--dry-run").exit_code == 1
    assert len(active_codes(session)) == 41
    clean_settings(catalogue_max_retire_share="0.25")
    assert cli(minus9, "--dry-run").exit_code == 0
    assert cli(minus9, "--max-retire-share", "0.2").exit_code == 1
    assert len(active_codes(session)) == 41
    assert cli(minus9).exit_code == 0
    assert len(active_codes(session)) == 32


def test_a_share_outside_zero_to_one_is_refused(cli: Cli, tmp_path: Path) -> None:
    result = cli(SERVICES_CSV, "--max-retire-share", "20")
    assert result.exit_code == 1
    assert "must be between 0 and 1 (0.2 is 20%), got 20" in flat(result.output)


def test_100000_services_are_refused_before_anything_is_written(
    cli: Cli, synced: set[str], nlu_dir: Path, session: Sessions, tmp_path: Path
) -> None:
    before = snapshot(nlu_dir)
    rows = [
        f"GEN-{n:06},order,Kontor,Tjänst {n},,100,kr,Kontorsservice,24,description,ord {n},,"
        for n in range(100_000)
    ]  # 7 MB, under the 20 MB a source may have
    result = cli(write_rows(tmp_path / "huge.csv", rows))
    assert result.exit_code == 1, result.output[-2000:]
    assert (
        "huge.csv has 100,000 valid services, more than the maximum of 5,000 "
        "(SERVICEDESK_CATALOGUE_MAX_SERVICES or --max-services); nothing written"
    ) in flat(result.output)
    assert snapshot(nlu_dir) == before
    assert active_codes(session) == synced


def test_the_service_limit_counts_services_kept_by_no_retire(
    db_url: str, synced: set[str], session: Sessions, tmp_path: Path, nlu_dir: Path
) -> None:
    renamed = [row.replace(row.split(",")[0], "NEW-" + row.split(",")[0], 1) for row in ROWS]
    source = write_rows(tmp_path / "renamed.csv", renamed)
    options = SyncOptions(
        source=str(source), database_url=db_url, nlu_dir=nlu_dir, retire=False, max_services=60
    )
    report = run_sync(options)
    assert report.exit_code == 1
    assert "the catalogue would have 82 active services, more than the maximum of 60" in (
        report.fatal or ""
    )
    assert active_codes(session) == synced


def test_generated_nlu_data_over_the_limit_is_refused(
    db_url: str, session: Sessions, nlu_dir: Path
) -> None:
    options = SyncOptions(
        source=str(SERVICES_CSV), database_url=db_url, nlu_dir=nlu_dir, max_nlu_bytes=10_000
    )
    report = run_sync(options)
    assert report.exit_code == 1
    fatal = report.fatal or ""
    assert "the generated NLU data would be " in fatal
    assert "more than the maximum of 10,000 bytes (0.01 MB)" in fatal
    assert "(SERVICEDESK_CATALOGUE_MAX_NLU_BYTES); nothing written" in fatal
    assert re.search(r"catalogue_nlu\.yml [\d,]+ bytes", fatal)
    assert not nlu_dir.exists()
    assert active_codes(session) == set()


def test_100000_invalid_rows_are_reported_briefly(tmp_path: Path) -> None:
    """Runs as a process with a deadline: printing used to take rows x errors steps."""
    rows = [f"X-{n},nonsense,C,N,,0,,,abc,,,," for n in range(100_000)]
    source = write_rows(tmp_path / "broken.csv", rows)
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "250"}
    done = subprocess.run(
        [sys.executable, "-m", "catalogue_sync", str(source),
         "--database-url", f"sqlite:///{tmp_path / 'db.sqlite'}",
         "--nlu-dir", str(tmp_path / "generated")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    shown = [ln for ln in lines if re.match(r"    line \d+, column", ln)]
    assert len(shown) == 50
    assert shown[0].startswith("    line 2, column kind: must be one of order")
    assert shown[-1] == "    line 26, column sla_hours: must be a positive integer, got 'abc'"
    assert (
        "  … and 199,950 more errors (99,975 more rejected rows) not shown; --max-errors shows more"
    ) in lines
    assert "Error: no valid services in" in done.stdout


def test_max_errors_chooses_how_many_are_printed(cli: Cli, tmp_path: Path) -> None:
    broken = [row.replace(",order,", ",orderr,", 1) for row in ROWS if ",order," in row]
    result = cli(write_rows(tmp_path / "some.csv", broken + ROWS), "--max-errors", "3")
    assert result.exit_code == 2
    output = flat(result.output)
    assert output.count(", column kind: must be one of") == 3
    assert f"… and {len(broken) - 3} more errors ({len(broken) - 3} more rejected rows)" in output
