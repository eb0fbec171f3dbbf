"""The vendored HPKE library is what VENDORED.json says (pinned versions, npm integrity, file hashes,
licences) and every module the offline runtime loads resolves to a file in the tree: no CDN, no
bare specifier a browser cannot resolve, no build step."""

from __future__ import annotations

import hashlib
import json
import posixpath
from pathlib import Path

from survey.offline.vendor import ENTRIES, MANIFEST, PINNED, VENDOR, package_root, specifiers

STATIC = VENDOR.parent


def manifest() -> dict:
    return json.loads((VENDOR / MANIFEST).read_text(encoding="utf-8"))


def test_every_vendored_file_is_listed_with_its_hash_and_nothing_else_is_there() -> None:
    listed: dict[str, str] = {}
    licences = set()
    for root, package in manifest()["packages"].items():
        assert package["integrity"].startswith("sha512-"), root
        assert package["license"] == "MIT", root
        licences.add(package["licence_file"])
        for file, digest in package["files"].items():
            assert package_root(file) == root
            listed[file] = digest
    on_disk = {path.relative_to(VENDOR).as_posix() for path in VENDOR.rglob("*") if path.is_file()}
    assert on_disk == set(listed) | licences | {MANIFEST}
    for file, digest in listed.items():
        assert hashlib.sha256((VENDOR / file).read_bytes()).hexdigest() == digest, f"{file} was changed"


def test_the_pinned_packages_and_entries_are_the_ones_vendored() -> None:
    data = manifest()
    assert data["pinned"] == PINNED
    assert data["entries"] == list(ENTRIES)
    top = {
        package["name"]: package["version"] for root, package in data["packages"].items() if "node_modules" not in root
    }
    assert set(top) == {"hpke", "@panva/hpke-noble", "@noble/post-quantum", "@noble/curves", "@noble/hashes",
                        "@noble/ciphers"}  # fmt: skip
    versions = top
    assert versions["hpke"] == PINNED["hpke"]
    assert versions["@panva/hpke-noble"] == PINNED["@panva/hpke-noble"]


def test_licence_texts_are_vendored_beside_the_code() -> None:
    for package in manifest()["packages"].values():
        text = (VENDOR / package["licence_file"]).read_text(encoding="utf-8")
        assert "Permission is hereby granted, free of charge" in text


def test_every_import_of_the_offline_runtime_resolves_to_a_file_in_the_tree() -> None:
    modules = sorted(STATIC.glob("offline/*.js")) + sorted(path for path in VENDOR.rglob("*.js"))
    assert len(modules) > 10
    for module in modules:
        for specifier in specifiers(module.read_text(encoding="utf-8")):
            assert specifier.startswith("./") or specifier.startswith("../"), f"{module}: bare import {specifier}"
            target = Path(posixpath.normpath(posixpath.join(module.parent.as_posix(), specifier)))
            assert target.is_file(), f"{module}: {specifier} does not exist"
            assert STATIC in target.parents, f"{module}: {specifier} leaves survey/static"


def test_no_module_loads_anything_from_another_origin() -> None:
    for module in list(STATIC.glob("offline/*.js")) + list(VENDOR.rglob("*.js")):
        text = module.read_text(encoding="utf-8")
        assert "import(" not in text.replace("async import(", ""), module
        assert "sourceMappingURL" not in text, module
