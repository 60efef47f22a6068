"""Privacy: retention (gallring), and export and erasure of one person's data."""

from servicedesk.privacy.persons import erase_person, export_person, find_person
from servicedesk.privacy.retention import RetentionResult, run_retention

__all__ = ["RetentionResult", "erase_person", "export_person", "find_person", "run_retention"]
