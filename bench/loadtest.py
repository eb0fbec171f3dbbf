"""Load and fault test: simulated respondents complete the study against gunicorn started as the
Procfile starts it; optionally one worker, the whole server, or the database is killed mid-run.

    .venv/bin/python bench/loadtest.py                      # 200 respondents at once, SQLite
    .venv/bin/python bench/loadtest.py --respondents 50 --kill-worker
    .venv/bin/python bench/loadtest.py --respondents 50 --kill-server --kill-at 0.5
    .venv/bin/python bench/loadtest.py --database postgresql --kill-db --down 6
    .venv/bin/python bench/loadtest.py --store redis --kill-store --down 6

`--database postgresql` runs a throwaway PostgreSQL server (fsync on) for the run; `--kill-db` stops
it as a crash would, mid-run, and starts it again after `--down` seconds. `--store redis` keeps the
rate-limit counts in a throwaway redis-server, and every respondent then stops midway with "continue
later" and goes on from a new device with the resume code (a rate-limited route); `--kill-store`
kills Redis with SIGKILL mid-run and starts it again after `--down` seconds. `--kill-at` is the share
of the run's expected requests after which the fault strikes. Respondents who get a 503 wait and send
the same request again, as the page asks them to (a post is sent again from the page's own form).

Traffic goes to 127.0.0.1 only; every loop is bounded in count and time. It prints throughput,
latency percentiles and errors, then checks that the number of stored responses equals the number of
thank-you pages delivered, that every stored response unseals to what was sent, and that the server's
log holds no traceback and no response of status 500.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSPHRASE = "Load test passphrase, 2026!"
STUDY = "wetterau-integration"
PAGE = re.compile(r"/p/([a-z0-9_.-]+)$")
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
RESUME_CODE = re.compile(r'class="resume-code" dir="ltr"><strong>([^<]+)</strong>')
RESEND = re.compile(r'<form method="post" action="([^"]+)" novalidate>')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)">')
STATUS_500 = re.compile(r'" 500 ')  # the Procfile's access log: ... "METHOD /path" STATUS bytes
# Measured: 8,941 requests for 200 respondents completing the study (the unit of --kill-at).
REQUESTS_PER_RESPONDENT = 45


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """gunicorn exactly as the Procfile's web line, in its own process group."""

    def __init__(self, instance: Path, port: int, workers: int, database_url: str, extra: dict[str, str]) -> None:
        self.instance, self.port, self.workers, self.database_url = instance, port, workers, database_url
        self.extra = extra  # more settings: the rate-limit store, the questionnaire folder
        self.log = instance / "gunicorn.log"
        self.process: subprocess.Popen[bytes] | None = None
        web = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
        self.command = web.removeprefix("web:").strip()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "SURVEY_INSTANCE_PATH": str(self.instance),
            "PORT": str(self.port),
            "WEB_CONCURRENCY": str(self.workers),
            "DATABASE_URL": self.database_url,
            # Each simulated respondent has an address of its own (X-Forwarded-For), as behind the proxy.
            "TRUSTED_PROXIES": "1",
            **self.extra,
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        }

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                ["bash", "-c", "exec " + self.command],
                cwd=ROOT,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in out.stdout.split()]

    def kill_worker(self) -> int:
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None

    def log_problems(self) -> tuple[int, int, list[str]]:
        """(tracebacks, responses of status 500, warning and recovery lines) in the server's log."""
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        warnings = [line for line in text.splitlines() if "WARNING" in line or " available again " in line]
        return text.count("Traceback"), len(STATUS_500.findall(text)), warnings


def prepare_instance(instance: Path, database_url: str) -> None:
    env = {
        **os.environ,
        "SURVEY_INSTANCE_PATH": str(instance),
        "SURVEY_KEY_PASSPHRASE": PASSPHRASE,
        "DATABASE_URL": database_url,
    }
    flask = [sys.executable, "-m", "flask", "--app", "survey"]
    for args in (["init"], ["keys", "generate", "--out", str(instance)], ["db", "upgrade"]):
        subprocess.run(flask + args, cwd=ROOT, env=env, check=True, capture_output=True)


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    thank_yous: int = 0
    retries: int = 0
    unavailable: int = 0  # 503 answers (each followed by the same request again)
    resumed: int = 0  # respondents who went on from a new device with their resume code
    requests: int = 0
    sent: dict[str, dict[str, Any]] = field(default_factory=dict)  # respondent -> answers sent
    lock: threading.Lock = field(default_factory=threading.Lock)


class Respondent:
    """One person with a cookie jar, answering every page the server shows."""

    def __init__(self, base: str, number: int, outcome: Outcome, deadline: float, resume: bool = False) -> None:
        self.base, self.number, self.outcome, self.deadline = base, number, outcome, deadline
        self.opener = self.new_device()
        self.rng = random.Random(number)
        self.token = ""
        # Stop midway with "continue later" and go on from another device (the resume route is limited).
        self.resume_at = self.rng.randint(2, 20) if resume else -1

    def new_device(self) -> urllib.request.OpenerDirector:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        opener.addheaders = [("X-Forwarded-For", f"10.{self.number // 250}.{self.number % 250}.1")]
        return opener

    def continue_later(self, path: str) -> str:
        """ "Continue later" on this device, then the code on a new one; the URL it goes on at."""
        _, html = self.request(f"/{STUDY}/later", [("csrf_token", self.token)])
        match = RESUME_CODE.search(html)
        if match is None:
            with self.outcome.lock:
                self.outcome.errors.append(f"no resume code on /{STUDY}/later")
            return path
        self.opener = self.new_device()
        self.request(f"/{STUDY}/resume")
        url, _ = self.request(f"/{STUDY}/resume", [("code", unescape(match.group(1))), ("csrf_token", self.token)])
        if PAGE.search(urllib.parse.urlparse(url).path):
            with self.outcome.lock:
                self.outcome.resumed += 1
        return url

    def request(self, path: str, data: list[tuple[str, str]] | None = None) -> tuple[str, str]:
        """(final URL, body); retries through a restart or a killed worker, bounded by the deadline."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        while True:
            started = time.monotonic()
            with self.outcome.lock:
                self.outcome.requests += 1
            try:
                with self.opener.open(self.base + path, body, timeout=20) as response:
                    html = response.read().decode()
                    url = response.geturl()
                with self.outcome.lock:
                    self.outcome.latencies.append(time.monotonic() - started)
                match = TOKEN.search(html)
                if match:
                    self.token = match.group(1)
                return url, html
            except urllib.error.HTTPError as error:
                page = error.read().decode(errors="replace")
                if error.code == 503 and time.monotonic() < self.deadline:
                    # The database is away: wait, then send again what the page holds.
                    with self.outcome.lock:
                        self.outcome.unavailable += 1
                    # A post that was stored and redirected to a page that failed needs only that page.
                    if body is not None and RESEND.search(page):
                        body = resend_body(page)
                    elif body is not None:
                        path, body = urllib.parse.urlparse(error.geturl()).path, None
                    time.sleep(min(float(error.headers.get("Retry-After") or 1), 1.0))
                    continue
                with self.outcome.lock:
                    self.outcome.errors.append(f"{error.code} {path}")
                return self.base + path, page
            except (OSError, http.client.HTTPException):
                # A killed worker or a restarting server: try the same step again (every step is
                # idempotent: a page save overwrites, a repeated submit finds the stored response).
                with self.outcome.lock:
                    self.outcome.retries += 1
                if time.monotonic() > self.deadline:
                    raise
                time.sleep(0.5)

    def run(self, questionnaire: Any) -> None:
        from survey.respond import flow, synthetic

        self.request(f"/{STUDY}/")
        language = self.rng.choice(questionnaire.language_tags)
        self.request(f"/{STUDY}/", [("language", language), ("csrf_token", self.token)])
        url, _ = self.request(f"/{STUDY}/start", [("csrf_token", self.token)])
        answers: dict[str, Any] = {}
        for step in range(200):
            match = PAGE.search(urllib.parse.urlparse(url).path)
            if match and step == self.resume_at:
                url = self.continue_later(urllib.parse.urlparse(url).path)
                match = PAGE.search(urllib.parse.urlparse(url).path)
            if not match:
                break
            page = questionnaire.page(match.group(1))
            fields: list[tuple[str, str]] = []
            kept = answers  # a roster member's answers are kept per member, as the draft keeps them
            if page.roster and not page.adds_member:
                members = answers.setdefault(page.roster, [])
                members.extend({} for _ in range(page.member - len(members)))
                kept = members[page.member - 1]
            for question in flow.visible_questions(questionnaire, page, flow.effective_answers(questionnaire, answers)):
                if not question.answerable:
                    continue
                value = synthetic.answer(question, self.rng)
                if value is None and question.required:
                    value = synthetic.answer(question, random.Random(1))
                if value is None:
                    continue
                if not page.adds_member:
                    kept[question.id] = value
                elif value == 1:  # "add another": yes
                    answers.setdefault(page.roster, []).append({})
                for name, item in question.form_data(value).items():
                    for single in item if isinstance(item, list) else [item]:
                        fields.append((name, str(single)))
            url, _ = self.request(urllib.parse.urlparse(url).path, [*fields, ("csrf_token", self.token)])
        if url.endswith("/review"):
            url, _html = self.request(f"/{STUDY}/submit", [("csrf_token", self.token)])
            if url.endswith("/done"):
                with self.outcome.lock:
                    self.outcome.thank_yous += 1
                    self.outcome.sent[str(self.number)] = flow.effective_answers(questionnaire, answers)


def probe_limited_routes(base: str) -> str:
    """While the rate-limit store is away: a resume with a wrong code (a respondent route: refused as
    usual, uncounted) and a wrong staff sign-in (stays closed: 503). Their statuses, for the report."""
    statuses = []
    for path, form in (
        (f"/{STUDY}/resume", {"code": "AAAA-AAAA-AAAA"}),
        ("/account/login", {"email": "nobody@example.org", "password": "wrong password!"}),
    ):
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        opener.addheaders = [("X-Forwarded-For", "192.0.2.1")]
        with opener.open(base + path, timeout=20) as response:
            match = TOKEN.search(response.read().decode())
        body = urllib.parse.urlencode({**form, "csrf_token": match.group(1) if match else ""}).encode()
        try:
            with opener.open(base + path, body, timeout=20) as response:
                statuses.append(f"{path} {response.status}")
        except urllib.error.HTTPError as error:
            statuses.append(f"{path} {error.code}")
    return ", ".join(statuses)


def sign_in_attempts_let_through(base: str, attempts: int = 60) -> int:
    """Wrong sign-ins from one address, one after another: how many the rate limit let through
    (answered other than 429). The limit holds per deployment when this equals LOGIN_ATTEMPTS' first count."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    opener.addheaders = [("X-Forwarded-For", "192.0.2.2")]
    # The limits count in fixed one-minute windows: start early in one, so all attempts fall in it.
    second = time.time() % 60
    if second > 40:
        time.sleep(60 - second)
    with opener.open(base + "/account/login", timeout=20) as response:
        match = TOKEN.search(response.read().decode())
    form = {"email": "nobody@example.org", "password": "wrong password!", "csrf_token": match.group(1) if match else ""}
    through = 0
    for _ in range(attempts):
        try:
            with opener.open(base + "/account/login", urllib.parse.urlencode(form).encode(), timeout=20):
                through += 1
        except urllib.error.HTTPError as error:
            through += error.code != 429
    return through


def resend_body(page: str) -> bytes:
    """The form data the 503 page keeps for sending again."""
    fields = [(unescape(name), unescape(value)) for name, value in HIDDEN.findall(page)]
    return urllib.parse.urlencode(fields).encode()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def verify(instance: Path, outcome: Outcome, database_url: str) -> tuple[int, int]:
    """(stored responses, responses that unseal) in the database the server used; every unsealed set
    of answers must have been sent."""
    from sqlalchemy import create_engine, select

    from survey.vault.keys import load_private
    from survey.vault.models import SealedResponse
    from survey.vault.responses import unseal_response

    (private_file,) = instance.glob("study-private-*.json")
    key = load_private(private_file, PASSPHRASE)
    engine = create_engine(database_url)
    opened = 0
    sent = [answers for answers in outcome.sent.values()]
    with engine.connect() as connection:
        rows = connection.execute(select(SealedResponse)).all()
    for row in rows:
        record = unseal_response(
            row.id, row.questionnaire_id, row.questionnaire_version, row.content, {key.key_id: key}
        )
        if record["answers"] in sent:
            opened += 1
    engine.dispose()
    return len(rows), opened


def start_database(kind: str, instance: Path) -> tuple[str, Any]:
    """(DATABASE_URL, the PostgreSQL server or None): SQLite in the instance, or a throwaway
    PostgreSQL server with fsync on, as tests/postgres.py starts it."""
    if kind == "sqlite":
        return f"sqlite:///{instance / 'survey.sqlite3'}", None
    from tests.postgres import TemporaryPostgres

    server = TemporaryPostgres(durable=True)
    return server.start(), server


def start_store(kind: str, instance: Path) -> Any:
    """A throwaway redis-server for the rate-limit counts, or None for the default memory://."""
    if kind == "memory":
        return None
    from tests.redis_server import RedisServer

    (instance / "redis").mkdir()
    server = RedisServer(instance / "redis")
    server.start()
    return server


def resumable_study(instance: Path) -> dict[str, str]:
    """The study as shipped, but offering "continue later" (its resume route is rate-limited)."""
    folder = instance / "questionnaires"
    folder.mkdir()
    data = json.loads((ROOT / "questionnaires" / f"{STUDY}.json").read_text(encoding="utf-8"))
    data["resume"] = True
    (folder / f"{STUDY}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for extra in (ROOT / "questionnaires").iterdir():  # schemas, indicators, audio beside it
        if extra.name != f"{STUDY}.json" and extra.is_file():
            shutil.copy(extra, folder / extra.name)
    return {"QUESTIONNAIRE_DIR": str(folder)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--respondents", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--kill-worker", action="store_true", help="SIGKILL one gunicorn worker mid-run")
    parser.add_argument("--kill-server", action="store_true", help="SIGKILL the whole server mid-run, then restart")
    parser.add_argument("--store", choices=("memory", "redis"), default="memory", help="where rate limits count")
    parser.add_argument("--kill-db", action="store_true", help="stop PostgreSQL as a crash would, then restart it")
    parser.add_argument("--kill-store", action="store_true", help="SIGKILL Redis mid-run, then restart it")
    parser.add_argument(
        "--down", "--db-down", type=float, default=6.0, help="seconds PostgreSQL or Redis stays down (--kill-db/-store)"
    )
    parser.add_argument(
        "--kill-at", type=float, default=0.25, help="share of the expected requests after which the fault strikes"
    )
    parser.add_argument("--time-limit", type=float, default=600.0)
    options = parser.parse_args(argv)
    if options.kill_db and options.database != "postgresql":
        parser.error("--kill-db needs --database postgresql (SQLite lives inside the app's own processes)")
    if not 0 <= options.kill_at < 1:
        parser.error("--kill-at is a share of the run: at least 0 and below 1, e.g. 0.25")
    if options.kill_store and options.store != "redis":
        parser.error("--kill-store needs --store redis")
    if sum((options.kill_worker, options.kill_server, options.kill_db, options.kill_store)) > 1:
        parser.error("choose one fault: --kill-worker, --kill-server, --kill-db or --kill-store")

    from survey.questionnaires.loader import load_file
    from survey.security import LOGIN_ATTEMPTS

    questionnaire, _ = load_file(ROOT / "questionnaires" / f"{STUDY}.json")
    assert questionnaire is not None
    with tempfile.TemporaryDirectory(prefix="survey-load-") as folder:
        instance = Path(folder)
        database_url, postgres = start_database(options.database, instance)
        store = start_store(options.store, instance)
        try:
            prepare_instance(instance, database_url)
            extra = {} if store is None else {"RATELIMIT_STORAGE_URI": store.url, **resumable_study(instance)}
            server = Server(instance, free_port(), options.workers, database_url, extra)
            server.start()
            outcome = Outcome()
            deadline = time.monotonic() + options.time_limit
            threads = [
                threading.Thread(
                    target=Respondent(server.base, n, outcome, deadline, store is not None).run,
                    args=(questionnaire,),
                    daemon=True,
                )
                for n in range(options.respondents)
            ]
            started = time.monotonic()
            try:
                for thread in threads:
                    thread.start()
                if options.kill_worker or options.kill_server or options.kill_db or options.kill_store:
                    strike = options.kill_at * options.respondents * REQUESTS_PER_RESPONDENT
                    while outcome.requests < strike and time.monotonic() < deadline:
                        time.sleep(0.05)
                    print(f"fault after {outcome.requests} requests ({time.monotonic() - started:.1f} s)")
                    if options.kill_worker:
                        print(f"killed worker {server.kill_worker()} with SIGKILL")
                    elif options.kill_server:
                        server.kill()
                        print("killed the whole server with SIGKILL; restarting")
                        server.start()
                    elif options.kill_store:
                        store.stop(crash=True)
                        print(f"killed Redis with SIGKILL; restarting in {options.down:.0f} s")
                        back = time.monotonic() + options.down
                        print(f"limited routes while Redis is away: {probe_limited_routes(server.base)}")
                        time.sleep(max(0.0, back - time.monotonic()))
                        store.start()
                    else:
                        postgres.halt()
                        print(f"stopped PostgreSQL as a crash would (immediate); restarting in {options.down:.0f} s")
                        time.sleep(options.down)
                        postgres.resume()
                for thread in threads:
                    thread.join(max(0.0, deadline - time.monotonic()))
                elapsed = time.monotonic() - started
                through = sign_in_attempts_let_through(server.base)
                stored, opened = verify(instance, outcome, database_url)
            finally:
                server.kill()
            tracebacks, errors_500, warnings = server.log_problems()
            if os.environ.get("LOADTEST_KEEP_LOG"):  # the server log, kept for a look
                shutil.copy(server.log, os.environ["LOADTEST_KEEP_LOG"])
        finally:
            if store is not None:
                store.stop()
            if postgres is not None:
                postgres.stop()
    requests = len(outcome.latencies)
    print(
        f"respondents {options.respondents}, workers {options.workers}, {options.database}, "
        f"rate limits in {options.store}, {elapsed:.1f} s"
    )
    p50, p95, p99 = (percentile(outcome.latencies, share) * 1000 for share in (0.5, 0.95, 0.99))
    print(
        f"requests {requests}, {requests / elapsed:.1f} per second; latency p50 {p50:.0f} ms, p95 {p95:.0f} ms, "
        f"p99 {p99:.0f} ms, mean {statistics.mean(outcome.latencies or [0]) * 1000:.0f} ms"
    )
    print(
        f"HTTP errors {len(outcome.errors)} {sorted(set(outcome.errors))[:5]}; connection retries {outcome.retries}; "
        f"503 answers sent again {outcome.unavailable}; went on from a new device with a resume code {outcome.resumed}"
    )
    print(
        f"rate limit: {through} of 60 wrong sign-ins from one address let through "
        f"(limit {LOGIN_ATTEMPTS.split('/')[0]} a minute, counted in {options.store})"
    )
    print(f"server log: {tracebacks} tracebacks, {errors_500} responses of status 500, {len(warnings)} warnings")
    for line in warnings:
        print("  " + line[:200])
    print(
        f"thank-you pages {outcome.thank_yous}; stored responses {stored}; unsealed and matching what was sent {opened}"
    )
    ok = options.respondents == stored == outcome.thank_yous == opened
    ok = ok and not outcome.errors and not tracebacks and not errors_500
    print("OK: nothing lost, nothing doubled" if ok else "FAILED: responses lost, doubled or not matching, or errors")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
