"""Fixtures for catalogue_sync unit tests: small catalogue files written to tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

HEADER = (
    "code,kind,category,name,description,price_sek,price_unit,performer,sla_hours,"
    "order_fields,keywords"
)
GOOD_ROW = (
    "LOK-01,fault,Lokalvård,Felanmälan lokalvård,Brister,0,ingår i avtal,Lokalvård,24,"
    "location;description,städning;städ"
)


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[..., Path]:
    """Return a helper that writes text (or bytes) to a file under tmp_path."""

    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
        return path

    return write
