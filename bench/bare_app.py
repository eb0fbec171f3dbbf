"""The serving baseline: a bare Flask app that answers every path and method with a constant,
served by gunicorn with the Procfile's settings (see servers.Gunicorn); `/bytes/N` is a page of N
bytes, for the slow-network baseline."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)
CONSTANT = "ok"


@app.get("/bytes/<int:size>")
def same_bytes(size: int) -> str:
    """A page of `size` bytes (the slow-network baseline: what those bytes cost on the wire alone)."""
    head = "<!doctype html><html lang=en><title>bare</title><p>ok</p><!--"
    tail = "-->"
    return head + "x" * max(0, size - len(head) - len(tail)) + tail


@app.route("/", defaults={"path": ""}, methods=["GET", "POST"])
@app.route("/<path:path>", methods=["GET", "POST"])
def constant(path: str) -> str:
    return CONSTANT
