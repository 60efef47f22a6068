"""``python -m tests.dialogue --cases tests/dialogue/cases.yml`` (``make eval-dialogue``)."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from tests.dialogue.simulator import main

parser = argparse.ArgumentParser(description="Simulated employees against the real stack.")
parser.add_argument("--cases", type=Path, default=Path("tests/dialogue/cases.yml"))
parser.add_argument("--verbose", action="store_true")
args = parser.parse_args()
with tempfile.TemporaryDirectory(prefix="eval-dialogue-") as tmp:
    main(args.cases, Path(tmp), args.verbose)
