"""Time limits on the database, so that a database that hangs cannot hang the portal.

A PostgreSQL server that stops answering without refusing (a network that drops
packets, a frozen host) leaves a worker waiting on its socket forever: the server's
`statement_timeout` cannot fire, and psycopg has no client-side limit. Three limits
cover it, all settings (`portal.config`):

- `DATABASE_CONNECT_TIMEOUT`: libpq's `connect_timeout` for new connections (at least 2 s);
- `DATABASE_POOL_TIMEOUT`: how long a request waits for a free pooled connection;
- `DATABASE_STATEMENT_TIMEOUT`: the server's `statement_timeout`, and a client-side
  deadline one grace period later: the `Watchdog` below shuts the socket of a connection
  whose statement, commit or checkout ping has run past it, so the waiting call fails at
  once with a disconnection error (the page then answers 503, see `portal.web.errors`).

The watchdog is one thread for the process; arming and disarming are a dictionary
write under a lock, cheap enough for every statement. `/health` has its own shorter
wall-clock limit (`portal.web.health`). SQLite has no network to hang on; its writers
wait for the write lock up to its busy timeout.
"""

from __future__ import annotations

import socket
import threading
import time

from sqlalchemy import event, exc

GRACE = 2.0  # seconds after the server's statement_timeout before the client gives up
PING_AFTER = 1.0  # seconds a pooled connection may idle before its checkout pings it
IDLE_WAKE = 1.0  # seconds the watchdog sleeps with nothing armed


class Watchdog:
    """Shuts the socket of a database connection whose deadline has passed.

    Arming is a dictionary write under the lock, once per statement: the thread finds the
    earliest deadline by looking through the armed connections (at most the process's
    pool of them) whenever it wakes, instead of a heap that every statement pushed onto,
    and which grew by one stale entry per statement until the first deadline passed. With
    nothing armed the thread wakes every `IDLE_WAKE` seconds instead of being woken by
    each statement; a deadline sooner than its next wake wakes it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._woken = threading.Condition(self._lock)  # the thread waits on it
        self._armed: dict[int, tuple[float, int]] = {}  # id(dbapi connection) -> (deadline, fd)
        self._wake_at = 0.0  # when the thread wakes next, unless notified
        self._thread: threading.Thread | None = None

    def arm(self, dbapi_connection, seconds: float) -> None:
        fd = _socket_of(dbapi_connection)
        if fd is None:
            return
        deadline = time.monotonic() + seconds
        with self._lock:
            self._armed[id(dbapi_connection)] = (deadline, fd)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="database-watchdog", daemon=True)
                self._thread.start()
            elif deadline < self._wake_at:
                self._woken.notify()

    def disarm(self, dbapi_connection) -> None:
        with self._lock:
            self._armed.pop(id(dbapi_connection), None)

    def _run(self) -> None:
        with self._lock:
            while True:
                now = time.monotonic()
                for key, (deadline, fd) in list(self._armed.items()):
                    if deadline <= now:
                        del self._armed[key]
                        _shut(fd)
                self._wake_at = min((deadline for deadline, _ in self._armed.values()), default=now + IDLE_WAKE)
                self._woken.wait(self._wake_at - now)


def _socket_of(dbapi_connection) -> int | None:
    pgconn = getattr(dbapi_connection, "pgconn", None)  # psycopg 3
    try:
        return pgconn.socket if pgconn is not None else None
    except Exception:  # a closed connection has no socket
        return None


def _shut(fd: int) -> None:
    """End the connection's traffic both ways; the blocked read returns at once."""
    try:
        sock = socket.socket(fileno=fd)
    except OSError:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.detach()  # the file descriptor stays the driver's


WATCHDOG = Watchdog()


def connect_args(config: dict) -> dict:
    """psycopg's connection arguments for the settings: timeouts and the JIT choice."""
    options = [f"-c statement_timeout={int(config['DATABASE_STATEMENT_TIMEOUT'] * 1000)}"]
    if not config["DATABASE_JIT"]:
        options.append("-c jit=off")
    return {"connect_timeout": max(2, int(config["DATABASE_CONNECT_TIMEOUT"])), "options": " ".join(options)}


def _guarded(method, limit: float):
    def guarded(dbapi_connection):
        WATCHDOG.arm(dbapi_connection, limit)
        try:
            return method(dbapi_connection)
        finally:
            WATCHDOG.disarm(dbapi_connection)

    return guarded


def install(engine, config: dict) -> None:
    """Arm the watchdog around every statement, commit and checkout ping of `engine`
    (PostgreSQL only) and ping on checkout under it instead of SQLAlchemy's own ping."""
    if engine.dialect.name != "postgresql":
        return
    limit = float(config["DATABASE_STATEMENT_TIMEOUT"]) + GRACE
    ping_limit = float(config["DATABASE_CONNECT_TIMEOUT"])

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        WATCHDOG.arm(conn.connection.dbapi_connection, limit)

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):
        WATCHDOG.disarm(conn.connection.dbapi_connection)

    for name in ("do_commit", "do_rollback"):  # no event surrounds these: wrap this engine's dialect
        setattr(engine.dialect, name, _guarded(getattr(engine.dialect, name), limit))

    @event.listens_for(engine, "checkin")
    def _checkin(dbapi_connection, record):
        WATCHDOG.disarm(dbapi_connection)
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection, record, proxy):
        """A pooled connection that has been idle answers within the connect timeout, or
        another is made. One in steady use is not pinged (a round trip per request saved);
        if its server went away meanwhile, the watchdog or the driver ends that request."""
        if time.monotonic() - record.info.get("idle_since", 0) < PING_AFTER:
            return
        WATCHDOG.arm(dbapi_connection, ping_limit)
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
        except Exception as error:
            raise exc.DisconnectionError(f"database did not answer the ping: {type(error).__name__}") from error
        finally:
            WATCHDOG.disarm(dbapi_connection)
