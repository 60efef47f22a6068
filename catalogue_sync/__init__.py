"""Catalogue importers: read a CSV/JSON file or URL, validate, upsert, generate NLU data."""

from catalogue_sync.errors import CatalogueError, RowError
from catalogue_sync.nlu_export import DEFAULT_NLU_DIR, ExportResult, export_nlu
from catalogue_sync.sync import SyncOptions, SyncReport, run_sync
from catalogue_sync.validation import Parsed, load_departments, load_services

__all__ = [
    "DEFAULT_NLU_DIR",
    "CatalogueError",
    "ExportResult",
    "Parsed",
    "RowError",
    "SyncOptions",
    "SyncReport",
    "export_nlu",
    "load_departments",
    "load_services",
    "run_sync",
]
