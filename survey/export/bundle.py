"""Sealed bundles: a study's stored responses in one file, for exporting on a machine that has the
private key but no database (an offline researcher's laptop, say).

A bundle holds exactly what the database holds for those responses: answers sealed under the study
key (a bundle opens for nobody without the private key), metadata and coarsened paradata in the
clear, and the questionnaire they answer. It is a zip file:

- `bundle.json`: format, questionnaire id and version, waves, count, creation time, software version,
  the SHA-256 of `responses.jsonl`, and the questionnaire JSON itself;
- `responses.jsonl`: one JSON object per response, the ciphertext in base64.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..questionnaires.loader import ERROR, load_text
from ..questionnaires.model import Questionnaire
from .source import Source, Stored, StoredParadata

FORMAT = "wetterau-survey-bundle/1"
HEADER, RESPONSES = "bundle.json", "responses.jsonl"


class BundleError(Exception):
    """A bundle that cannot be written or read; the message says why."""


def _paradata_json(item: StoredParadata | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {
        "mode": item.mode,
        "languages": item.languages,
        "device_class": item.device_class,
        "started_hour": item.started_hour.isoformat(),
        "duration_minutes": item.duration_minutes,
        "interviewer": item.interviewer,
        "review": item.review,
    }


def _line(stored: Stored) -> bytes:
    item = {
        "id": stored.id,
        "questionnaire_id": stored.questionnaire_id,
        "questionnaire_version": stored.questionnaire_version,
        "wave": stored.wave,
        "pseudonym": stored.pseudonym,
        "submitted_hour": stored.submitted_hour.isoformat(),
        "content": base64.b64encode(stored.content).decode("ascii"),
        "paradata": _paradata_json(stored.paradata),
    }
    return json.dumps(item, separators=(",", ":")).encode() + b"\n"


def write_bundle(source: Source, questionnaire: Questionnaire, path: Path) -> dict[str, Any]:
    """Write every response of `source` to a new bundle at `path` (readable by its owner only);
    returns the header. Nothing is left at `path` when writing fails."""
    if path.exists():
        raise BundleError(f"{path} exists already")
    questionnaire_json = Path(questionnaire.source).read_text(encoding="utf-8")
    partial = path.with_name(path.name + ".partial")
    digest, count, waves = hashlib.sha256(), 0, set()
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
            with archive.open(RESPONSES, "w", force_zip64=True) as member:
                for stored in source:
                    line = _line(stored)
                    digest.update(line)
                    member.write(line)
                    count += 1
                    waves.add(stored.wave)
            header = {
                "format": FORMAT,
                "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
                "waves": sorted(waves),
                "responses": count,
                "responses_sha256": digest.hexdigest(),
                "created": datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat(),
                "software": {"name": "wetterau-survey", "version": __version__},
                "questionnaire_json": questionnaire_json,
            }
            archive.writestr(HEADER, json.dumps(header, indent=2, ensure_ascii=False) + "\n")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return header


def _stored(line: bytes, number: int) -> Stored:
    try:
        item = json.loads(line)
        paradata = item["paradata"]
        return Stored(
            id=str(item["id"]),
            questionnaire_id=str(item["questionnaire_id"]),
            questionnaire_version=str(item["questionnaire_version"]),
            wave=str(item["wave"]),
            pseudonym=item["pseudonym"],
            submitted_hour=datetime.datetime.fromisoformat(item["submitted_hour"]),
            content=base64.b64decode(item["content"], validate=True),
            paradata=None
            if paradata is None
            else StoredParadata(
                mode=str(paradata["mode"]),
                languages=str(paradata["languages"]),
                device_class=str(paradata["device_class"]),
                started_hour=datetime.datetime.fromisoformat(paradata["started_hour"]),
                duration_minutes=int(paradata["duration_minutes"]),
                interviewer=paradata["interviewer"],
                review=str(paradata.get("review", "")),  # bundles written before reviews have none
            ),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise BundleError(f"line {number} of {RESPONSES} is damaged ({error})") from None


@dataclass(frozen=True)
class BundleSource:
    """The responses in a bundle (optionally one wave), read one line at a time."""

    path: Path
    header: dict[str, Any]
    wave: str | None = None

    def waves(self) -> set[str]:
        waves = set(self.header["waves"])
        return waves if self.wave is None else waves & {self.wave}

    def __iter__(self) -> Iterator[Stored]:
        with zipfile.ZipFile(self.path) as archive, archive.open(RESPONSES) as member:
            for number, line in enumerate(member, start=1):
                stored = _stored(line, number)
                if self.wave is None or stored.wave == self.wave:
                    yield stored


def open_bundle(path: Path, wave: str | None = None) -> tuple[Questionnaire, BundleSource]:
    """Check a bundle whole (format, checksum, questionnaire) and return its questionnaire and responses."""
    try:
        with zipfile.ZipFile(path) as archive:
            header = json.loads(archive.read(HEADER))
            digest = hashlib.sha256()
            with archive.open(RESPONSES) as member:
                for block in iter(lambda: member.read(1 << 20), b""):
                    digest.update(block)
    except FileNotFoundError:
        raise BundleError(f"{path}: no such file") from None
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as error:
        raise BundleError(f"{path} is not a readable response bundle ({error})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BundleError(f"{path} is not a response bundle of the format {FORMAT}")
    if digest.hexdigest() != header.get("responses_sha256"):
        raise BundleError(f"{path} is damaged: {RESPONSES} does not match its checksum")
    questionnaire, problems = load_text(str(header.get("questionnaire_json", "")), f"{path}:{HEADER}")
    if questionnaire is None:
        errors = "; ".join(str(problem) for problem in problems if problem.severity == ERROR)
        raise BundleError(f"the questionnaire in {path} is not valid: {errors}")
    return questionnaire, BundleSource(path, header, wave)
