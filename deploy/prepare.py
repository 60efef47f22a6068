"""Check the stores of the production profile before anything starts; create missing databases.

Run by deploy/run-production.sh. The desk database must be PostgreSQL (two desks share it,
and their periodic jobs take its advisory locks); the tracker database is named by the
``RASA_TRACKER_DB_*`` variables Rasa's endpoints.production.yml reads; Redis must answer.
A database that does not exist yet is created when the configured user may do so (a local
trial); in a real deployment the operator creates them. Exits 1 with one line per problem.
"""

from __future__ import annotations

import os
import sys

import psycopg
import redis
from psycopg import sql
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import make_url

__all__ = ["main", "problems"]


def _dsn(host: str, port: str, user: str, password: str, dbname: str) -> str:
    secret = {"password": password} if password else {}
    return make_conninfo(
        host=host, port=port, user=user, dbname=dbname, connect_timeout=5, **secret
    )


def _ensure_database(host: str, port: str, user: str, password: str, name: str) -> str | None:
    try:
        with psycopg.connect(_dsn(host, port, user, password, name)):
            return None
    except psycopg.OperationalError as exc:
        if f'database "{name}" does not exist' not in str(exc):
            return f"PostgreSQL at {host}:{port} as {user!r} for database {name!r}: {exc}"
    try:
        admin = psycopg.connect(_dsn(host, port, user, password, "postgres"), autocommit=True)
        with admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        return f"database {name!r} is missing and could not be created: {exc}"
    print(f"Created the PostgreSQL database {name!r} at {host}:{port}.")
    return None


def problems(env: dict[str, str]) -> list[str]:
    """What keeps the production profile from starting, one line each (empty: ready)."""
    found: list[str] = []
    desk_url = env.get("SERVICEDESK_DATABASE_URL", "")
    url = make_url(desk_url) if desk_url else None
    if url is None or url.get_backend_name() != "postgresql":
        found.append(
            "SERVICEDESK_DATABASE_URL must name a PostgreSQL database "
            "(postgresql+psycopg://user:password@host:5432/name): two desks share it. "
            "SQLite supports one desk only (`make run`)."
        )
    else:
        problem = _ensure_database(
            url.host or "127.0.0.1", str(url.port or 5432), url.username or "",
            url.password or "", url.database or "",
        )  # fmt: skip
        if problem:
            found.append(problem)
    host, name = env.get("RASA_TRACKER_DB_HOST", ""), env.get("RASA_TRACKER_DB_NAME", "")
    if not (host and name):
        found.append("RASA_TRACKER_DB_HOST and RASA_TRACKER_DB_NAME must be set (Rasa's tracker)")
    else:
        problem = _ensure_database(
            host, env.get("RASA_TRACKER_DB_PORT", "5432"), env.get("RASA_TRACKER_DB_USER", ""),
            env.get("RASA_TRACKER_DB_PASSWORD", ""), name,
        )  # fmt: skip
        if problem:
            found.append(problem)
    host, port, db = env.get("REDIS_HOST", ""), env.get("REDIS_PORT", "6379"), env.get("REDIS_DB")
    try:
        client = redis.Redis(host=host, port=int(port), db=int(db or 0), socket_timeout=5)
        client.ping()
        client.close()
    except (redis.RedisError, ValueError) as exc:
        found.append(f"Redis (Rasa's lock store) at {host}:{port} db {db}: {exc}")
    return found


def main() -> int:
    """Command line: print the problems and exit 1, or exit 0 when ready."""
    found = problems(dict(os.environ))
    for line in found:
        print(f"Cannot start the production profile: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
