"""Tests for catalogue_sync."""
