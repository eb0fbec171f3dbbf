"""Schema validation remembered per file content: a second load of the same bytes skips it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from survey.questionnaires import loader
from survey.questionnaires.loader import ValidationCache, load_directory, load_file

from ..conftest import TEST_QUESTIONNAIRES, make_app

EVERY_TYPE = (TEST_QUESTIONNAIRES / "every-type.json").read_bytes()


class CountingValidation:
    """The loader's schema validation, counted (the real one runs)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        self.real = loader._schema_problems
        monkeypatch.setattr(loader, "_schema_problems", self)

    def __call__(self, data: Any, file: str) -> list[loader.Problem]:
        self.calls += 1
        return self.real(data, file)


def copy_of_every_type(folder: Path, content: bytes = EVERY_TYPE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "every-type.json"
    path.write_bytes(content)
    return path


def test_same_bytes_are_validated_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    validation = CountingValidation(monkeypatch)
    path = copy_of_every_type(tmp_path / "q")
    cache = ValidationCache(tmp_path / "cache")
    first, problems = load_file(path, cache)
    assert first is not None and validation.calls == 1
    second, again = load_file(path, cache)
    assert validation.calls == 1  # skipped: the marker for these bytes is there
    assert second == first and again == problems
    assert [marker.name for marker in (tmp_path / "cache").iterdir()] == [f"{ValidationCache.key(EVERY_TYPE)}.valid"]


def test_a_changed_byte_is_validated_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    validation = CountingValidation(monkeypatch)
    cache = ValidationCache(tmp_path / "cache")
    path = copy_of_every_type(tmp_path / "q")
    load_file(path, cache)
    path.write_bytes(EVERY_TYPE + b" ")
    questionnaire, _ = load_file(path, cache)
    assert questionnaire is not None and validation.calls == 2
    data = json.loads(EVERY_TYPE)
    data["pages"][0]["questions"][0]["type"] = "no-such-type"
    path.write_text(json.dumps(data), encoding="utf-8")
    broken, problems = load_file(path, cache)
    assert broken is None and validation.calls == 3
    assert any(problem.pointer.startswith("/pages/0/questions/0") for problem in problems)
    load_file(path, cache)
    assert validation.calls == 4  # a file with errors is never remembered


def test_a_corrupt_or_foreign_marker_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    validation = CountingValidation(monkeypatch)
    cache = ValidationCache(tmp_path / "cache")
    path = copy_of_every_type(tmp_path / "q")
    key = ValidationCache.key(EVERY_TYPE)
    marker = tmp_path / "cache" / f"{key}.valid"
    marker.parent.mkdir()
    for corrupt in (b"", key[:20].encode(), b"\xff\xfe not ascii", ValidationCache.key(b"other").encode()):
        marker.write_bytes(corrupt)
        questionnaire, _ = load_file(path, cache)
        assert questionnaire is not None
    assert validation.calls == 4
    assert marker.read_text(encoding="ascii") == key  # rewritten whole by the last load
    load_file(path, cache)
    assert validation.calls == 4


def test_an_unwritable_cache_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    validation = CountingValidation(monkeypatch)
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    path = copy_of_every_type(tmp_path / "q")
    for _ in range(2):
        questionnaire, _ = load_file(path, ValidationCache(blocker))
        assert questionnaire is not None
    assert validation.calls == 2
    assert blocker.read_text(encoding="utf-8") == "a file where the folder should be"


def test_the_schema_is_part_of_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    before = ValidationCache.key(EVERY_TYPE)
    schema = tmp_path / "schema.json"
    schema.write_bytes(loader.SCHEMA_PATH.read_bytes() + b"\n")
    monkeypatch.setattr(loader, "SCHEMA_PATH", schema)
    loader._schema_bytes.cache_clear()
    try:
        assert ValidationCache.key(EVERY_TYPE) != before
    finally:
        monkeypatch.undo()
        loader._schema_bytes.cache_clear()
    assert ValidationCache.key(EVERY_TYPE) == before


def test_every_process_after_the_first_skips_validation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = tmp_path / "questionnaires"
    copy_of_every_type(folder)
    cache = tmp_path / "instance-cache"
    validation = CountingValidation(monkeypatch)
    first = make_app("sqlite://", questionnaire_dir=folder, QUESTIONNAIRE_CACHE_DIR=str(cache))
    second = make_app("sqlite://", questionnaire_dir=folder, QUESTIONNAIRE_CACHE_DIR=str(cache))
    assert validation.calls == 1
    assert second.extensions["survey.questionnaires"] == first.extensions["survey.questionnaires"]
    make_app("sqlite://", questionnaire_dir=folder, QUESTIONNAIRE_CACHE_DIR="")
    assert validation.calls == 2  # switched off: validated every time
    found, _ = load_directory(folder)
    assert validation.calls == 3 and list(found) == ["every-type"]
