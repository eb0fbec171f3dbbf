"""Load and fault test: simulated respondents complete the study against gunicorn started as the
Procfile starts it; optionally one worker, or the whole server, is killed with SIGKILL mid-run.

    .venv/bin/python bench/loadtest.py                      # 200 respondents at once
    .venv/bin/python bench/loadtest.py --respondents 50 --kill-worker
    .venv/bin/python bench/loadtest.py --respondents 50 --kill-server

Traffic goes to 127.0.0.1 only; every loop is bounded in count and time. It prints throughput,
latency percentiles and errors, then checks that the number of stored responses equals the number of
thank-you pages delivered, and that every stored response unseals to what was sent.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import http.cookiejar
import os
import random
import re
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
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSPHRASE = "Load test passphrase, 2026!"
STUDY = "wetterau-integration"
PAGE = re.compile(r"/p/([a-z0-9_-]+)$")
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """gunicorn exactly as the Procfile's web line, in its own process group."""

    def __init__(self, instance: Path, port: int, workers: int) -> None:
        self.instance, self.port, self.workers = instance, port, workers
        self.process: subprocess.Popen[bytes] | None = None
        web = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
        self.command = web.removeprefix("web:").strip()

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "SURVEY_INSTANCE_PATH": str(self.instance),
            "PORT": str(self.port),
            "WEB_CONCURRENCY": str(self.workers),
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        }

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["bash", "-c", "exec " + self.command],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
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


def prepare_instance(instance: Path) -> None:
    env = {**os.environ, "SURVEY_INSTANCE_PATH": str(instance), "SURVEY_KEY_PASSPHRASE": PASSPHRASE}
    flask = [sys.executable, "-m", "flask", "--app", "survey"]
    for args in (["init"], ["keys", "generate", "--out", str(instance)], ["db", "upgrade"]):
        subprocess.run(flask + args, cwd=ROOT, env=env, check=True, capture_output=True)


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    thank_yous: int = 0
    retries: int = 0
    sent: dict[str, dict[str, Any]] = field(default_factory=dict)  # respondent -> answers sent
    lock: threading.Lock = field(default_factory=threading.Lock)


class Respondent:
    """One person with a cookie jar, answering every page the server shows."""

    def __init__(self, base: str, number: int, outcome: Outcome, deadline: float) -> None:
        self.base, self.number, self.outcome, self.deadline = base, number, outcome, deadline
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.rng = random.Random(number)
        self.token = ""

    def request(self, path: str, data: list[tuple[str, str]] | None = None) -> tuple[str, str]:
        """(final URL, body); retries through a restart or a killed worker, bounded by the deadline."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        while True:
            started = time.monotonic()
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
                with self.outcome.lock:
                    self.outcome.errors.append(f"{error.code} {path}")
                return self.base + path, error.read().decode(errors="replace")
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
        for _ in range(200):
            match = PAGE.search(urllib.parse.urlparse(url).path)
            if not match:
                break
            page = questionnaire.page(match.group(1))
            fields: list[tuple[str, str]] = []
            for question in flow.visible_questions(questionnaire, page, flow.effective_answers(questionnaire, answers)):
                if not question.answerable:
                    continue
                value = synthetic.answer(question, self.rng)
                if value is None and question.required:
                    value = synthetic.answer(question, random.Random(1))
                if value is None:
                    continue
                answers[question.id] = value
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


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def verify(instance: Path, outcome: Outcome) -> tuple[int, int]:
    """(stored responses, responses that unseal); every unsealed set of answers must have been sent."""
    from sqlalchemy import create_engine, select

    from survey.vault.keys import load_private
    from survey.vault.models import SealedResponse
    from survey.vault.responses import unseal_response

    (private_file,) = instance.glob("study-private-*.json")
    key = load_private(private_file, PASSPHRASE)
    engine = create_engine(f"sqlite:///{instance / 'survey.sqlite3'}")
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--respondents", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kill-worker", action="store_true", help="SIGKILL one gunicorn worker mid-run")
    parser.add_argument("--kill-server", action="store_true", help="SIGKILL the whole server mid-run, then restart")
    parser.add_argument("--time-limit", type=float, default=600.0)
    options = parser.parse_args(argv)

    from survey.questionnaires.loader import load_file

    questionnaire, _ = load_file(ROOT / "questionnaires" / f"{STUDY}.json")
    assert questionnaire is not None
    with tempfile.TemporaryDirectory(prefix="survey-load-") as folder:
        instance = Path(folder)
        prepare_instance(instance)
        server = Server(instance, free_port(), options.workers)
        server.start()
        outcome = Outcome()
        deadline = time.monotonic() + options.time_limit
        threads = [
            threading.Thread(
                target=Respondent(f"http://127.0.0.1:{server.port}", n, outcome, deadline).run,
                args=(questionnaire,),
                daemon=True,
            )
            for n in range(options.respondents)
        ]
        started = time.monotonic()
        try:
            for thread in threads:
                thread.start()
            if options.kill_worker or options.kill_server:
                time.sleep(3)
                if options.kill_worker:
                    print(f"killed worker {server.kill_worker()} with SIGKILL")
                else:
                    server.kill()
                    print("killed the whole server with SIGKILL; restarting")
                    server.start()
            for thread in threads:
                thread.join(max(0.0, deadline - time.monotonic()))
            elapsed = time.monotonic() - started
            stored, opened = verify(instance, outcome)
        finally:
            server.kill()
    requests = len(outcome.latencies)
    print(f"respondents {options.respondents}, workers {options.workers}, {elapsed:.1f} s")
    p50, p95, p99 = (percentile(outcome.latencies, share) * 1000 for share in (0.5, 0.95, 0.99))
    print(
        f"requests {requests}, {requests / elapsed:.1f} per second; latency p50 {p50:.0f} ms, p95 {p95:.0f} ms, "
        f"p99 {p99:.0f} ms, mean {statistics.mean(outcome.latencies or [0]) * 1000:.0f} ms"
    )
    print(f"HTTP errors {len(outcome.errors)} {sorted(set(outcome.errors))[:5]}; connection retries {outcome.retries}")
    print(
        f"thank-you pages {outcome.thank_yous}; stored responses {stored}; unsealed and matching what was sent {opened}"
    )
    ok = stored == outcome.thank_yous == opened and not outcome.errors
    print("OK: nothing lost, nothing doubled" if ok else "FAILED: responses lost, doubled or not matching")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
