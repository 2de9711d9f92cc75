"""The embedded broker: kombu's SQLAlchemy transport on a SQLite file under var/.

SQLite serialises writers with a lock, so any number of processes (web workers, beat, the
Celery worker) can publish and consume without a server and without the half-written
files that broke kombu's filesystem transport. kombu's own SQLAlchemy channel marks a
fetched message invisible and never looks at it again: a worker killed while it held a
message (a countdown waiting for its time, a task half done) loses it, and delivered rows
pile up. This channel keeps the contract of the Redis transport production uses instead:

- a fetched row is hidden and stamped with the time it was taken (kombu's ``timestamp``
  column updates itself on every change);
- an acknowledged row is deleted; a rejected or restored one becomes visible again;
- a row taken longer ago than ``visibility_timeout`` is handed out again, so late acks
  re-run the tasks of a worker that died;
- ``requeue_taken()`` shows every taken row again at once: the embedded stack runs exactly
  one worker, so when it starts, whatever is taken was held by a worker that died.

URL: ``sqla+sqlite:///<path>`` with ``broker_transport = "helpdesk.broker:Transport"``.
"""

from datetime import datetime, timedelta
from json import loads
from queue import Empty

from kombu.transport import sqlalchemy as kombu_sqla
from kombu.utils.encoding import bytes_to_str
from sqlalchemy import create_engine, delete, event, or_, text, update
from sqlalchemy.exc import OperationalError

DEFAULT_VISIBILITY_TIMEOUT = 5 * 60
SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers go on while one process writes; the busy timeout makes a writer
    wait for the lock instead of failing with "database is locked"."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


class Channel(kombu_sqla.Channel):
    def __init__(self, connection, **kwargs):
        options = connection.client.transport_options
        self.visibility_timeout = options.get("visibility_timeout", DEFAULT_VISIBILITY_TIMEOUT)
        # delivery tag -> row id of the messages this channel holds; acks come from the
        # worker's pool threads, so they use short connections of the engine, never the
        # channel's session (a session belongs to one thread).
        self._held_rows: dict[str, int] = {}
        super().__init__(connection, **kwargs)

    def _engine_from_config(self):
        engine = create_engine(
            self.connection.client.hostname,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        return engine

    def _open(self):
        """Processes starting together race to create the tables; the loser sees them
        on its second look."""
        try:
            return super()._open()
        except OperationalError:
            return super()._open()

    @property
    def engine(self):
        return self._open()[0]

    def _get(self, queue):
        queue_row = self._get_or_create(queue)
        message_cls = self.message_cls
        expired = datetime.now() - timedelta(seconds=self.visibility_timeout)
        if self.session.bind.name == "sqlite":
            self.session.execute(text("BEGIN IMMEDIATE TRANSACTION"))
        try:
            row = (
                self.session.query(message_cls)
                .with_for_update()
                .filter(message_cls.queue_id == queue_row.id)
                .filter(or_(message_cls.visible == True, message_cls.sent_at < expired))  # noqa: E712
                .order_by(message_cls.id)
                .limit(1)
                .first()
            )
            if row is None:
                raise Empty()
            redelivered = not row.visible
            row.visible = False
            payload = loads(bytes_to_str(row.payload))
            row_id = row.id
        finally:
            self.session.commit()
        if redelivered:
            payload["redelivered"] = True
        self._held_rows[payload["properties"]["delivery_tag"]] = row_id
        return payload

    def _release(self, delivery_tag: str, *, requeue: bool) -> bool:
        row_id = self._held_rows.pop(delivery_tag, None)
        if row_id is None:
            return False
        message_cls = self.message_cls
        statement = (
            update(message_cls).where(message_cls.id == row_id).values(visible=True)
            if requeue
            else delete(message_cls).where(message_cls.id == row_id)
        )
        with self.engine.begin() as connection:
            connection.execute(statement)
        return True

    def basic_ack(self, delivery_tag, multiple=False):
        self._release(delivery_tag, requeue=False)
        super().basic_ack(delivery_tag, multiple=multiple)

    def basic_reject(self, delivery_tag, requeue=False):
        if not requeue:
            self._release(delivery_tag, requeue=False)
        super().basic_reject(delivery_tag, requeue=requeue)

    def _restore(self, message):
        """Requeue (a reject, or a worker shutting down with messages in hand): the row
        becomes visible again rather than being copied."""
        if not self._release(message.delivery_tag, requeue=True):
            super()._restore(message)

    def requeue_taken(self) -> int:
        message_cls = self.message_cls
        self._open()
        with self.engine.begin() as connection:
            result = connection.execute(
                update(message_cls).where(message_cls.visible == False).values(visible=True)  # noqa: E712
            )
        return result.rowcount


class Transport(kombu_sqla.Transport):
    Channel = Channel
