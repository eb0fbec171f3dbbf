"""Outage episodes of a service the platform leans on (the database, the rate-limit store): one WARNING
line when it goes away, one INFO line when it answers again, and nothing per request in between, so
that an outage of a minute does not bury the log under a traceback per request."""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask, current_app


def describe(error: BaseException) -> str:
    """The driver's own message, first line only (no SQL, no traceback): enough to name the cause."""
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {lines[0] if lines else ''}".rstrip(": ")


class Outage:
    """Whether one service is away in this process, since when, and how many requests it cost."""

    def __init__(self, service: str, consequence: str, logger: logging.Logger) -> None:
        self.service = service
        self.consequence = consequence  # what the platform does meanwhile, for the warning
        self.logger = logger
        self.since: float | None = None
        self.affected = 0
        self._lock = threading.Lock()

    @property
    def down(self) -> bool:
        return self.since is not None

    def failed(self, error: BaseException) -> None:
        """A request found the service away; only the first of an episode is logged."""
        with self._lock:
            self.affected += 1
            if self.since is not None:
                return
            self.since = time.monotonic()
            self.affected = 1
        self.logger.warning("%s unavailable (%s); %s until it is back", self.service, describe(error), self.consequence)

    def answered(self, since: float | None = None) -> None:
        """The service answered again: close the episode (cheap when there is none). `since`: when
        the work that got the answer began; work begun before the outage proves nothing."""
        if self.since is None:
            return
        with self._lock:
            if self.since is None or (since is not None and since < self.since):
                return
            seconds, affected = time.monotonic() - self.since, self.affected
            self.since, self.affected = None, 0
        self.logger.info("%s available again after %.1f s (%d requests affected)", self.service, seconds, affected)


def register(app: Flask, service: str, consequence: str) -> Outage:
    """The app's record of one service's outages (one per process: each gunicorn worker logs its own)."""
    outages: dict[str, Outage] = app.extensions.setdefault("survey.outages", {})
    if service not in outages:
        outages[service] = Outage(service, consequence, app.logger)
    return outages[service]


def outage(service: str, app: Flask | None = None) -> Outage:
    return (app or current_app).extensions["survey.outages"][service]
