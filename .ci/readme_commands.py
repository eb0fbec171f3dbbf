"""Print README's two quick-start commands, one a line: the first starts the demo, the second runs the
tests. CI runs exactly these (.ci/fresh-clone), so the README cannot drift from what works."""

from __future__ import annotations

import re
import sys
from pathlib import Path


def quick_start_commands(readme: str) -> list[str]:
    section = re.search(r"^## Quick start\n(.*?)(?=^## )", readme, re.MULTILINE | re.DOTALL)
    if section is None:
        raise SystemExit("README.md has no '## Quick start' section")
    blocks = re.findall(r"^```(?:sh|bash)\n(.*?)^```", section.group(1), re.MULTILINE | re.DOTALL)
    commands = [block.strip() for block in blocks]
    if len(commands) != 2 or any("\n" in command for command in commands):
        raise SystemExit(f"README.md's quick start must hold two one-line sh blocks, found {commands!r}")
    return commands


if __name__ == "__main__":
    print("\n".join(quick_start_commands(Path(sys.argv[1] if len(sys.argv) > 1 else "README.md").read_text())))
