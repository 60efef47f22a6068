"""Run the command line: ``python -m servicedesk``."""

from servicedesk.cli import app

app(prog_name="python -m servicedesk")
