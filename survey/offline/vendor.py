"""Vendor the browser's HPKE library from npm into survey/static/vendor/ (no CDN, no build step).

    python -m survey.offline.vendor

installs the pinned packages with npm into a temporary folder, follows the ES-module imports from
the entry points the offline runtime uses (resolving as Node does, nested node_modules first),
copies only the files reached, rewrites bare specifiers ('@noble/hashes/sha3.js') into relative
paths (browsers without an import map cannot resolve them; the CSP forbids an inline import map),
drops source-map comments, and writes each package's licence and VENDORED.json: versions, npm
integrity hashes and the SHA-256 of every file written. tests/offline/test_vendor.py checks it.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

VENDOR = Path(__file__).resolve().parents[1] / "static" / "vendor"
PINNED = {"hpke": "1.1.7", "@panva/hpke-noble": "1.0.3"}
ENTRIES = ("hpke/index.js", "@panva/hpke-noble/index.js")
MANIFEST = "VENDORED.json"
# Static imports and re-exports start a line in these packages' compiled output; examples in doc
# comments ("* import ... from '...'") do not.
IMPORT = re.compile(r"""^((?:import|export)\b[^'";]*?\bfrom\s*|import\s*)(['"])([^'"]+)\2""", re.MULTILINE)
SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$\n?", re.MULTILINE)
LICENCES = ("LICENSE", "LICENSE.md", "LICENCE")


class VendorError(Exception):
    """npm failed, or an import cannot be resolved; the message says which."""


def specifiers(text: str) -> list[str]:
    return [match.group(3) for match in IMPORT.finditer(text)]


def package_root(file: str) -> str:
    """'a/node_modules/@s/p/x.js' -> 'a/node_modules/@s/p' (paths relative to node_modules)."""
    parts = file.split("/")
    cut = max((index for index, part in enumerate(parts) if part == "node_modules"), default=-1) + 1
    return "/".join(parts[: cut + (2 if parts[cut].startswith("@") else 1)])


def resolve(modules: Path, importer: str, specifier: str) -> str:
    """The file (relative to `modules`) an import in `importer` loads, as Node resolves it."""
    if specifier.startswith("."):
        return posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier))
    parts = specifier.split("/")
    name = "/".join(parts[:2]) if specifier.startswith("@") else parts[0]
    subpath = "/".join(parts[2:] if specifier.startswith("@") else parts[1:])
    base = package_root(importer)
    while True:
        candidate = f"{base}/node_modules/{name}" if base else name
        if (modules / candidate / "package.json").is_file():
            break
        if not base:
            raise VendorError(f"{importer}: cannot resolve {specifier!r}")
        base = package_root(base.rsplit("/node_modules/", 1)[0]) if "/node_modules/" in base else ""
    if not subpath:
        package = json.loads((modules / candidate / "package.json").read_text(encoding="utf-8"))
        exports = package.get("exports")
        entry = exports.get(".") if isinstance(exports, dict) else None
        subpath = (entry if isinstance(entry, str) else None) or package.get("module") or package.get("main")
        subpath = str(subpath).removeprefix("./")
    target = f"{candidate}/{subpath}"
    if not (modules / target).is_file():
        raise VendorError(f"{importer}: {specifier!r} resolves to {target}, which does not exist")
    return target


def reachable(modules: Path) -> dict[str, str]:
    """file -> its text with every import made relative, for every file the entries reach."""
    found: dict[str, str] = {}
    waiting = list(ENTRIES)
    while waiting:
        file = waiting.pop()
        if file in found:
            continue
        text = (modules / file).read_text(encoding="utf-8")

        def relative(match: re.Match[str], file: str = file) -> str:
            target = resolve(modules, file, match.group(3))
            waiting.append(target)
            path = posixpath.relpath(target, posixpath.dirname(file))
            if not path.startswith("."):
                path = "./" + path
            return f"{match.group(1)}{match.group(2)}{path}{match.group(2)}"

        found[file] = SOURCE_MAP.sub("", IMPORT.sub(relative, text))
    return found


def install(folder: Path) -> dict[str, Any]:
    npm = shutil.which("npm")
    if npm is None:
        raise VendorError("npm is not installed (Debian: apt-get install npm)")
    (folder / "package.json").write_text(json.dumps({"private": True, "dependencies": PINNED}), encoding="utf-8")
    done = subprocess.run(
        [npm, "install", "--ignore-scripts", "--no-audit", "--no-fund", "--save-exact"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise VendorError(f"npm install failed: {done.stderr.strip()[-500:]}")
    return json.loads((folder / "package-lock.json").read_text(encoding="utf-8"))


def vendor(target: Path = VENDOR) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="vendor-") as temporary:
        folder = Path(temporary)
        lock = install(folder)
        modules = folder / "node_modules"
        files = reachable(modules)
        if target.exists():
            shutil.rmtree(target)
        packages: dict[str, Any] = {}
        for file, text in sorted(files.items()):
            root = package_root(file)
            entry = lock["packages"][f"node_modules/{root}"]
            package = packages.setdefault(
                root,
                {
                    "name": root.rsplit("node_modules/", 1)[-1],
                    "version": entry["version"],
                    "integrity": entry["integrity"],
                    "license": entry.get("license", ""),
                    "files": {},
                },
            )
            out = target / file
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            package["files"][file] = hashlib.sha256(text.encode()).hexdigest()
        for root, package in packages.items():
            licence = next((modules / root / name for name in LICENCES if (modules / root / name).is_file()), None)
            if licence is None:
                raise VendorError(f"{root}: no licence file in the package")
            shutil.copy(licence, target / root / licence.name)
            package["licence_file"] = f"{root}/{licence.name}"
        manifest = {"pinned": PINNED, "entries": list(ENTRIES), "packages": packages}
        (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return manifest


def main() -> int:
    try:
        manifest = vendor()
    except VendorError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for root, package in sorted(manifest["packages"].items()):
        print(f"{root} {package['version']}: {len(package['files'])} file(s)")
    return 0


if __name__ == "__main__":
    os.umask(0o022)
    sys.exit(main())
