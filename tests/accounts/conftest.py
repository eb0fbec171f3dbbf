"""Account tests hash with cheap Argon2 parameters (production keeps argon2-cffi's defaults)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _cheap_password_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    for key, value in (("ARGON2_TIME_COST", 1), ("ARGON2_MEMORY_COST", 8), ("ARGON2_PARALLELISM", 1)):
        monkeypatch.setitem(app.config, key, value)
