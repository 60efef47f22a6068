"""Helpers shared by the test suites: free ports, polling, process management."""
