"""Study key files: generation, passphrase wrapping, damaged files, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from survey.vault import keys
from survey.vault.cli import keys as keys_cli
from survey.vault.cli import write_key_pair

PASSPHRASE = "Kreishaus Friedberg 1999!"


@pytest.fixture(scope="module")
def key_files(tmp_path_factory) -> tuple[Path, Path, str]:
    return write_key_pair(tmp_path_factory.mktemp("keys"), keys.HYBRID, PASSPHRASE)


def test_private_key_opens_with_its_passphrase_and_matches_the_public_key(key_files):
    public_path, private_path, key_id = key_files
    private = keys.load_private(private_path, PASSPHRASE)
    assert private.key_id == key_id == keys.load_public(public_path).key_id
    assert private.public().public_bytes == keys.load_public(public_path).public_bytes


def test_wrong_passphrase_is_a_clear_error(key_files):
    with pytest.raises(keys.WrongPassphrase, match="wrong passphrase"):
        keys.load_private(key_files[1], PASSPHRASE + "x")


def test_private_key_file_is_wrapped_with_argon2id_not_pkcs8(key_files):
    document = json.loads(key_files[1].read_text())
    assert document["kdf"]["name"] == "argon2id"
    assert document["kdf"]["memory_kib"] >= 19 * 1024
    assert document["cipher"] == "AES-256-GCM"
    assert oct(key_files[1].stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("weak", ["short", "aaaaaaaaaaaaaaaaaaaa", "abcdefghijklmno", "wetteraukreis"])
def test_weak_passphrases_are_refused(weak):
    with pytest.raises(keys.WeakPassphrase):
        keys.check_passphrase(weak)


@pytest.mark.parametrize("good", ["correct horse battery staple", "Kreis-2026-Wetterau", PASSPHRASE])
def test_strong_passphrases_are_accepted(good):
    keys.check_passphrase(good)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(wrapped=d["wrapped"][:-8] + "AAAAAAA="), "wrong passphrase, or the key file was changed"),
        (lambda d: d.update(key_id="0" * 16), "wrong passphrase, or the key file was changed"),
        (lambda d: d["kdf"].update(iterations=2), "wrong passphrase, or the key file was changed"),
        (lambda d: d.pop("nonce"), "incomplete or damaged"),
        (lambda d: d.update(format="something"), "not a private key file"),
        (lambda d: d["kdf"].update(memory_kib=10**9), "implausible Argon2id parameters"),
        (lambda d: d.update(wrapped="***"), "not valid base64"),
    ],
)
def test_damaged_private_key_files_give_clear_errors(key_files, tmp_path, edit, message):
    document = json.loads(key_files[1].read_text())
    edit(document)
    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps(document))
    with pytest.raises(keys.KeyFileError, match=message):
        keys.load_private(damaged, PASSPHRASE)


def test_truncated_and_mixed_up_key_files(key_files, tmp_path):
    truncated = tmp_path / "t.json"
    truncated.write_text(key_files[1].read_text()[:100])
    with pytest.raises(keys.KeyFileError, match="not a key file"):
        keys.load_private(truncated, PASSPHRASE)
    with pytest.raises(keys.KeyFileError, match="this is the public key"):
        keys.load_private(key_files[0], PASSPHRASE)
    with pytest.raises(keys.KeyFileError, match="this is a private key file"):
        keys.load_public(key_files[1])
    with pytest.raises(keys.KeyFileError, match="file not found"):
        keys.load_public(tmp_path / "missing.json")


def test_edited_public_key_is_refused(key_files, tmp_path):
    document = json.loads(key_files[0].read_text())
    document["key_id"] = "f" * 16
    edited = tmp_path / "pub.json"
    edited.write_text(json.dumps(document))
    with pytest.raises(keys.KeyFileError, match="key id does not match"):
        keys.load_public(edited)


def test_cli_generates_keys_with_passphrase_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEY_KEY_PASSPHRASE", PASSPHRASE)
    runner = CliRunner()
    result = runner.invoke(keys_cli, ["generate", "--out", str(tmp_path), "--suite", "X25519"])
    assert result.exit_code == 0, result.output
    assert "fingerprint:" in result.output
    public = keys.load_public(tmp_path / "study-public.json")
    assert public.suite == "X25519"
    again = runner.invoke(keys_cli, ["generate", "--out", str(tmp_path)])
    assert again.exit_code != 0 and "already holds a study key" in again.output
    shown = runner.invoke(keys_cli, ["fingerprint", str(tmp_path / "study-public.json")])
    assert shown.output.strip() == keys.fingerprint(public.key_id)
    shown_private = runner.invoke(keys_cli, ["fingerprint", str(tmp_path / f"study-private-{public.key_id}.json")])
    assert shown_private.output.strip() == keys.fingerprint(public.key_id)
    rotated = runner.invoke(keys_cli, ["generate", "--out", str(tmp_path), "--rotate"])
    assert rotated.exit_code == 0, rotated.output
    assert len(list(tmp_path.glob("study-private-*.json"))) == 2
    assert keys.load_public(tmp_path / "study-public.json").key_id != public.key_id


def test_cli_refuses_a_weak_passphrase_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEY_KEY_PASSPHRASE", "password")
    result = CliRunner().invoke(keys_cli, ["generate", "--out", str(tmp_path / "k")])
    assert result.exit_code != 0 and "at least 12 characters" in result.output
    assert not list((tmp_path / "k").glob("study-private-*.json"))


def test_cli_prompts_for_the_passphrase_twice(tmp_path, monkeypatch):
    monkeypatch.delenv("SURVEY_KEY_PASSPHRASE", raising=False)
    result = CliRunner().invoke(keys_cli, ["generate", "--out", str(tmp_path)], input=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert result.exit_code == 0, result.output
    (private_file,) = tmp_path.glob("study-private-*.json")
    assert keys.load_private(private_file, PASSPHRASE).key_id == keys.load_public(tmp_path / "study-public.json").key_id
