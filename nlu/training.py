"""Read the intents' training examples from Rasa NLU YAML files (for the semantic intent head)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

__all__ = ["DEFAULT_CACHE_DIR", "DEFAULT_DATA", "load_examples"]

REPO = Path(__file__).resolve().parent.parent
#: Every NLU file of the assistant and those catalogue_sync generates.
DEFAULT_DATA = (REPO / "nlu" / "data", REPO / "nlu" / "data" / "generated")
DEFAULT_CACHE_DIR = REPO / "var" / "cache" / "embeddings"
_ENTITY = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")


def _files(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.glob("*.yml")))
        elif path.exists():
            found.append(path)
    return found


def load_examples(paths: Iterable[Path] = DEFAULT_DATA) -> list[tuple[str, str]]:
    """Return (text, intent) of every example in the NLU files; entity markup removed."""
    examples: list[tuple[str, str]] = []
    for path in _files(paths):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            intent = block.get("intent") if isinstance(block, dict) else None
            if not intent:
                continue
            for line in str(block.get("examples") or "").splitlines():
                text = line.strip()
                if text.startswith("- "):
                    text = _ENTITY.sub(lambda m: m.group(1) or m.group(2), text[2:]).strip()
                    if text:
                        examples.append((text, str(intent)))
    return examples
