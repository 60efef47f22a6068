"""Tests of servicedesk/ that need no database or process."""
