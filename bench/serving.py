"""Section 2, serving: requests per second and p95 latency of a question page GET, an answer POST and
the final submit POST under gunicorn as the Procfile starts it, each beside the same requests sent
by the same load generator to a bare Flask app in the same gunicorn settings.

Respondents (session cookie and CSRF token) are prepared over HTTP before any timing: one per
answer path records its journey, the others replay it without showing the pages."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import loadgen
from figures import Figure
from respondent import Respondent, Step
from servers import Gunicorn
from weight import RADIO_PAGE

from survey.questionnaires.model import Questionnaire

GOAL_RATIO = 0.5
PATHS = 3  # different answer patterns among the prepared respondents
PREPARING_THREADS = 8
PREPARING_SECONDS = 600


@dataclass(frozen=True)
class Settings:
    rounds: int  # each round times the baseline, then the platform; the table shows the medians
    seconds: float  # time limit of one timed run
    most_requests: int  # request limit of one timed run (GET and answer POST)
    question_respondents: int  # respondents at the question page, used in turn
    submits_per_round: int  # respondents at the review page, one submit each
    warm_up: int
    connections: int
    quiet_wait: float  # before each round, wait at most this long for other processes to calm down


FULL = Settings(rounds=3, seconds=8, most_requests=20_000, question_respondents=120, submits_per_round=150,
                warm_up=100, connections=16, quiet_wait=120)  # fmt: skip
QUICK = Settings(rounds=1, seconds=4, most_requests=3_000, question_respondents=24, submits_per_round=60,
                 warm_up=40, connections=16, quiet_wait=10)  # fmt: skip
BUSY_SHARE = 0.10  # other processes using more of the machine than this make a timed run unreliable


def prepare(
    site: Gunicorn, questionnaire: Questionnaire, count: int, until: Callable[[str], bool]
) -> tuple[list[Respondent], str]:
    """`count` respondents standing where `until` holds; returns them and that path."""
    leaders: list[tuple[Respondent, list[Step]]] = []
    ends = set()
    for pick in range(min(PATHS, count)):
        leader = Respondent(site.port, questionnaire, pick, prefetches=True)
        ends.add(leader.walk(leader.start("de"), until))
        leaders.append((leader, list(leader.route)))
    if len(ends) != 1:
        raise RuntimeError(f"prepared respondents stand on different pages: {sorted(ends)}")
    deadline = time.monotonic() + PREPARING_SECONDS

    def follower(index: int) -> Respondent:
        if time.monotonic() > deadline:
            raise TimeoutError(f"preparing respondents took longer than {PREPARING_SECONDS} s")
        _, route = leaders[index % len(leaders)]
        respondent = Respondent(site.port, questionnaire, index % len(leaders), prefetches=True)
        respondent.replay("de", route)
        return respondent

    pool = ThreadPoolExecutor(PREPARING_THREADS)
    try:
        followers = list(pool.map(follower, range(len(leaders), count)))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # on Ctrl+C, drop the respondents not yet begun
    return [leader for leader, _ in leaders] + followers, ends.pop()


@dataclass
class Comparison:
    name: str
    bare: list[loadgen.Load]
    platform: list[loadgen.Load]
    expected: int
    quiet: list[dict[str, float]] = field(default_factory=list)  # per round: waited, busy share then

    @staticmethod
    def _median(loads: list[loadgen.Load], measure: Callable[[loadgen.Load], float]) -> float:
        return statistics.median(measure(load) for load in loads)

    def per_second(self, loads: list[loadgen.Load]) -> float:
        return self._median(loads, lambda load: load.per_second)

    def p95_ms(self, loads: list[loadgen.Load]) -> float:
        return self._median(loads, lambda load: load.p95_ms)

    def errors(self) -> int:
        return sum(load.unexpected(self.expected) for load in self.platform) + sum(
            load.unexpected(200) for load in self.bare
        )

    def busiest_share(self) -> float:
        """The largest share of the machine that other processes used during a timed run."""
        return max(load.other_cpu / (load.seconds * loadgen.CPUS) for load in self.bare + self.platform)


def compare(
    name: str,
    site: Gunicorn,
    bare: Gunicorn,
    requests_of_round: Callable[[int], tuple[Callable[[int], bytes], int]],
    warm_up_at: Callable[[int], bytes],
    expected: int,
    settings: Settings,
) -> Comparison:
    """Warm both servers up, then per round the baseline first and the platform second, with the same
    requests, count and time limit."""
    for server in (bare, site):
        loadgen.hammer("warm-up", server, warm_up_at, settings.warm_up, settings.seconds, settings.connections)
    comparison = Comparison(name, [], [], expected)
    for number in range(settings.rounds):
        waited, busy = loadgen.wait_for_quiet(settings.quiet_wait)
        comparison.quiet.append({"waited_seconds": round(waited, 1), "busy_share_before": round(busy, 3)})
        request_at, count = requests_of_round(number)
        # The baseline may repeat requests (one submit each matters to the platform only), so that
        # it runs as long as the other runs do rather than for a fraction of a second.
        comparison.bare.append(
            loadgen.hammer(
                name,
                bare,
                lambda index, request_at=request_at, count=count: request_at(index % count),
                max(count, settings.most_requests),
                settings.seconds,
                settings.connections,
            )
        )
        comparison.platform.append(
            loadgen.hammer(name, site, request_at, count, settings.seconds, settings.connections)
        )
        print(
            f"serving: {name}, round {number + 1}: {comparison.platform[-1].per_second:,.0f} req/s "
            f"(bare {comparison.bare[-1].per_second:,.0f}); SQLite WAL {_wal_bytes(site) / 1e6:.1f} MB",
            file=sys.stderr,
        )
    return comparison


def _wal_bytes(site: Gunicorn) -> int:
    """The size of the platform's SQLite write-ahead log (0 on other databases)."""
    wal = Path(site.env.get("SURVEY_INSTANCE_PATH", "")) / "survey.sqlite3-wal"
    return wal.stat().st_size if wal.is_file() else 0


def _figures(comparison: Comparison, goal: bool) -> list[Figure]:
    name = comparison.name
    notes = []
    if comparison.errors():
        notes.append(f"{name}: {comparison.errors()} responses with an unexpected status (see JSON)")
    if comparison.busiest_share() > BUSY_SHARE:
        notes.append(
            f"{name}: other processes used up to {comparison.busiest_share():.0%} of the machine during a timed run; "
            "the figure is less reliable"
        )
    details = {
        "rounds": {
            "platform": [load.summary() for load in comparison.platform],
            "bare": [load.summary() for load in comparison.bare],
        },
        "expected_status": comparison.expected,
        "quiet_before_rounds": comparison.quiet,
    }
    value, baseline = comparison.per_second(comparison.platform), comparison.per_second(comparison.bare)
    return [
        Figure(
            "serving",
            f"serving: {name}, throughput",
            value,
            "req/s",
            baseline=baseline,
            baseline_name="bare Flask",
            goal=f">= {GOAL_RATIO} x bare" if goal else "",
            met=(value >= GOAL_RATIO * baseline and not comparison.errors()) if goal else None,
            higher_is_better=True,
            note="; ".join(notes),
            details=details,
        ),
        Figure(
            "serving",
            f"serving: {name}, p95 latency",
            comparison.p95_ms(comparison.platform),
            "ms",
            baseline=comparison.p95_ms(comparison.bare),
            baseline_name="bare Flask",
            details=details,
        ),
    ]


def measure(site: Gunicorn, bare: Gunicorn, questionnaire: Questionnaire, settings: Settings) -> list[Figure]:
    root = f"/{questionnaire.id}"
    print(f"serving: preparing {settings.question_respondents} respondents at {RADIO_PAGE} ...", file=sys.stderr)
    at_page, page = prepare(
        site, questionnaire, settings.question_respondents, lambda here: here.endswith(f"/p/{RADIO_PAGE}")
    )
    answers = [
        respondent.answers_for(RADIO_PAGE, respondent.get(page).text) for respondent in at_page[:PATHS]
    ]  # the same answers as the respondents on the same path would give
    gets = [respondent.request("GET", page) for respondent in at_page]
    posts = [
        respondent.request("POST", page, answers[index % len(answers)]) for index, respondent in enumerate(at_page)
    ]

    extra, per_round = settings.warm_up, settings.submits_per_round
    count = extra + per_round * settings.rounds
    print(f"serving: preparing {count} respondents at the review ...", file=sys.stderr)
    at_review, _ = prepare(site, questionnaire, count, lambda here: here == f"{root}/review")
    submits = [respondent.request("POST", f"{root}/submit", []) for respondent in at_review]

    def get_at(index: int) -> bytes:
        return gets[index % len(gets)]

    def post_at(index: int) -> bytes:
        return posts[index % len(posts)]

    def submits_of_round(number: int) -> tuple[Callable[[int], bytes], int]:
        first = extra + number * per_round
        return (lambda index: submits[first + index]), per_round

    figures = []
    for comparison, goal in (
        (compare(f"question page GET ({RADIO_PAGE})", site, bare, lambda _: (get_at, settings.most_requests),
                 get_at, 200, settings), True),
        (compare(f"answer POST ({RADIO_PAGE})", site, bare, lambda _: (post_at, settings.most_requests),
                 get_at, 303, settings), True),
        (compare("final submit POST", site, bare, submits_of_round, lambda index: submits[index % extra], 303,
                 settings), False),
    ):  # fmt: skip
        figures += _figures(comparison, goal)
    for figure in figures:
        figure.details["connections"] = settings.connections
        figure.details["gunicorn"] = site.command
    return figures
