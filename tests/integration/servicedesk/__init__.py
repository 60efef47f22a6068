"""Tests of servicedesk/ against a real database (SQLite file and PostgreSQL)."""
