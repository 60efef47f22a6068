"""The desk's HTTP API, web chat page and health check."""

from servicedesk.api.app import create_app

__all__ = ["create_app"]
