"""The serving baseline: a bare Flask app that answers every path and method with a constant,
served by gunicorn with the Procfile's settings (see servers.Gunicorn)."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)
CONSTANT = "ok"


@app.route("/", defaults={"path": ""}, methods=["GET", "POST"])
@app.route("/<path:path>", methods=["GET", "POST"])
def constant(path: str) -> str:
    return CONSTANT
