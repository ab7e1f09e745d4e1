"""How one terminal hears that another has written.

On SQLite, `pragma data_version` moves when another connection commits: the
app looks at it once a second, on one connection of its own. On PostgreSQL
every write sends a notification naming its home, delivered when it commits
(LISTEN/NOTIFY), and a terminal listens on a connection of its own: it hears
its own home's changes at once and asks the server nothing meanwhile.
"""

from __future__ import annotations

from typing import Any

from .base import db, is_sqlite

CHANNEL = "keywork_changes"
ANY_HOME = ""  # the payload of a write that belongs to no one home


def announce(home_id: int | None) -> None:
    """Inside a write's transaction: on PostgreSQL, tell every listener which
    home changed (sent at commit, and not at all if it rolls back)."""
    if is_sqlite():
        return
    payload = ANY_HOME if home_id is None else str(home_id)
    db.execute_sql("SELECT pg_notify(%s, %s)", (CHANNEL, payload))


class Listener:
    """A PostgreSQL connection of its own that hears the writes of one home
    (of every home, for a provider's terminal: `home_id` None)."""

    def __init__(self, home_id: int | None) -> None:
        import psycopg

        server = db.obj
        self._home = None if home_id is None else str(home_id)
        self._connection: Any = psycopg.connect(
            dbname=server.database, autocommit=True, **server.connect_params
        )
        self._connection.execute(f"LISTEN {CHANNEL}")

    def heard(self, seconds: float) -> bool:
        """Waits up to `seconds`; whether a write of this home (or of none) came."""
        notes = list(self._connection.notifies(timeout=seconds))
        if self._home is None:
            return bool(notes)
        return any(note.payload in (self._home, ANY_HOME) for note in notes)

    def close(self) -> None:
        self._connection.close()
