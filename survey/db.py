"""Database plumbing: declarative base with a naming convention, one engine per app, one session
per request. Nothing here connects until the first query. A database that cannot be reached is an
outage (errors.py answers 503), logged once per episode; closing a session never fails a request."""

from __future__ import annotations

import contextlib
import datetime
import time
from typing import Any

from flask import Flask, current_app, g, has_app_context
from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime.datetime]):
    """Timezone-aware UTC datetimes on SQLite (which has no time zones) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime.datetime | None, dialect: Any) -> Any:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; use utcnow()")
        return value.astimezone(datetime.UTC) if value is not None else None

    def process_result_value(self, value: datetime.datetime | None, dialect: Any) -> Any:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        return value


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def make_engine(url: str, echo: bool = False) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection: Any, record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the one writer
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def unavailable(error: BaseException) -> bool:
    """Whether an error means the database cannot be reached now (rather than a bug in a query):
    the server is away, the connection broke, the file cannot be opened, or the pool is exhausted."""
    if isinstance(error, sa_exc.DBAPIError):
        return error.connection_invalidated or isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError)
    return isinstance(error, sa_exc.TimeoutError | sa_exc.DisconnectionError)


class Database:
    """The app's engine and session factory, created lazily on first use."""

    def __init__(self, app: Flask) -> None:
        from .outage import register

        self.url = app.config["DATABASE_URL"]
        self.echo = app.config["SQL_ECHO"]
        self.outage = register(app, "database", "answering 503 with Retry-After")
        self._engine: Engine | None = None
        self._factory: sessionmaker[Session] | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            engine = make_engine(self.url, self.echo)

            @event.listens_for(engine, "checkout")
            def _answered(*_: Any) -> None:
                # A connection was opened or passed its ping. The outage ends only when a whole
                # request is served (see _close): a ping can still pass on a server going down.
                if has_app_context():
                    g.database_answered_at = time.monotonic()

            self._engine = engine
        return self._engine

    @property
    def sessions(self) -> sessionmaker[Session]:
        if self._factory is None:
            self._factory = sessionmaker(self.engine, expire_on_commit=False)
        return self._factory

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def database() -> Database:
    return current_app.extensions["survey.db"]


def session() -> Session:
    """The request's session (one per request, closed at teardown)."""
    if "db_session" not in g:
        g.db_session = database().sessions()
    return g.db_session


def failed(error: BaseException) -> None:
    """The database could not be reached in this request (logged once per outage)."""
    g.database_failed = True
    database().outage.failed(error)


def _close(exception: BaseException | None) -> None:
    """End the request's session. This runs after the response is made, outside error handling: an
    error here would replace a finished page (even one whose answers were committed) with a bare 500."""
    db_session = g.pop("db_session", None)
    if db_session is None:
        return
    try:
        if exception is not None:
            db_session.rollback()
        db_session.close()
    except Exception as error:
        if unavailable(error):
            failed(error)
        else:
            current_app.logger.error("closing the database session failed", exc_info=error)
        with contextlib.suppress(Exception):
            db_session.invalidate()  # the connection is not returned to the pool for reuse
    answered_at = g.pop("database_answered_at", None)
    if exception is None and answered_at is not None and not g.pop("database_failed", False):
        database().outage.answered(since=answered_at)


def init_app(app: Flask) -> None:
    app.extensions["survey.db"] = Database(app)
    app.teardown_appcontext(_close)
