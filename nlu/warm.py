"""Fill the embedding cache before any process needs it: ``python -m nlu.warm``.

The Rasa server and the action server each build the interpretation step when they start:
the catalogue's vectors, the training examples' vectors and the two semantic heads
(:mod:`nlu.heads`). Cached in ``var/cache/embeddings`` they cost nothing; on a cold cache
they take a minute or more on two cores, inside a start that others wait for. ``make run``
and ``make test`` run this first, so both servers find everything ready.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

from nlu.evaluate import build_interpreter


def main(argv: Sequence[str] | None = None) -> None:
    """Build the interpretation step once for the synced catalogue (filling the cache)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--catalogue-json", type=Path, default=Path("nlu/data/generated/catalogue.json")
    )
    args = parser.parse_args(argv)
    began = time.perf_counter()
    build_interpreter(args.catalogue_json)
    print(f"Interpretation step ready in {time.perf_counter() - began:.1f} s (embeddings cached)")


if __name__ == "__main__":
    main()
