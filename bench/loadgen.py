"""The load generator: asyncio over raw sockets, a fixed number of connections in flight, one
request per connection (keep-alive off, for the platform and the baseline alike). Bounded by a
request count and a time limit, whichever comes first."""

from __future__ import annotations

import asyncio
import os
import resource
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import wire
from servers import Gunicorn

CPUS = os.cpu_count() or 1


@dataclass
class Load:
    label: str
    requests: int  # completed
    seconds: float
    latencies: list[float] = field(repr=False)
    statuses: Counter[int]
    client_cpu: float  # CPU seconds the generator itself used
    server_cpu: float  # CPU seconds of gunicorn's master and workers
    busy_cpu: float  # CPU seconds the whole machine was busy (any process, and the kernel)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[round(share * 100) - 1]

    @property
    def p95_ms(self) -> float:
        return self.percentile(0.95) * 1000

    @property
    def p50_ms(self) -> float:
        return self.percentile(0.50) * 1000

    def unexpected(self, expected: int) -> int:
        return sum(count for status, count in self.statuses.items() if status != expected)

    def summary(self) -> dict[str, object]:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "per_second": round(self.per_second, 1),
            "p50_ms": round(self.p50_ms, 2),
            "p95_ms": round(self.p95_ms, 2),
            "statuses": {str(status): count for status, count in sorted(self.statuses.items())},
            "server_cpu_ms_per_request": round(1000 * self.server_cpu / self.requests, 3) if self.requests else None,
            "client_cpu_ms_per_request": round(1000 * self.client_cpu / self.requests, 3) if self.requests else None,
            "machine_busy_share": round(self.busy_cpu / (self.seconds * CPUS), 3) if self.seconds else None,
            "other_cpu_seconds": round(self.other_cpu, 3),
        }

    @property
    def other_cpu(self) -> float:
        """CPU time neither the server nor the generator used: other processes and the kernel's
        share of loopback networking; large values mean someone else was using the machine."""
        return max(0.0, self.busy_cpu - self.server_cpu - self.client_cpu)


async def _drive(
    port: int, request_at: Callable[[int], bytes], count: int, seconds: float, connections: int
) -> tuple[list[float], Counter[int], float]:
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    next_index = 0
    started = time.perf_counter()
    deadline = started + seconds

    async def connection() -> None:
        nonlocal next_index
        while next_index < count and time.perf_counter() < deadline:
            index = next_index
            next_index += 1
            request = request_at(index)
            sent = time.perf_counter()
            try:
                raw = await asyncio.wait_for(wire.exchange_async(port, request), timeout=wire.TIMEOUT)
                status = wire.status_of(raw)
            except (TimeoutError, OSError):
                status = 0
            latencies.append(time.perf_counter() - sent)
            statuses[status] += 1

    await asyncio.gather(*(connection() for _ in range(connections)))
    return latencies, statuses, time.perf_counter() - started


def _machine_busy() -> float:
    """Busy CPU seconds of the whole machine since boot (/proc/stat: all but idle and iowait)."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


def wait_for_quiet(most_seconds: float, share: float = 0.15) -> tuple[float, float]:
    """Wait, at most `most_seconds`, until the machine is nearly idle for a second (between timed runs
    nothing of ours is busy, so anything more is someone else's). Returns (seconds waited, busy share
    of the last second)."""
    started = time.monotonic()
    while True:
        busy_before, before = _machine_busy(), time.monotonic()
        time.sleep(1.0)
        busy = (_machine_busy() - busy_before) / ((time.monotonic() - before) * CPUS)
        if busy <= share or time.monotonic() - started >= most_seconds:
            return time.monotonic() - started, busy


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def hammer(
    label: str,
    server: Gunicorn,
    request_at: Callable[[int], bytes],
    count: int,
    seconds: float,
    connections: int,
) -> Load:
    """Send `request_at(0)`, `request_at(1)`, ... until `count` are done or `seconds` have passed."""
    client_before, server_before, busy_before = _own_cpu(), server.cpu_seconds(), _machine_busy()
    latencies, statuses, elapsed = asyncio.run(_drive(server.port, request_at, count, seconds, connections))
    return Load(
        label,
        len(latencies),
        elapsed,
        latencies,
        statuses,
        _own_cpu() - client_before,
        server.cpu_seconds() - server_before,
        _machine_busy() - busy_before,
    )
