"""`termslint init`: set up a legal-docs repository in one command, overwriting nothing."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from termslint import __version__
from termslint.errors import TermslintError

REPO_URL = "https://github.com/termslint/termslint"

CONFIG = """\
# termslint configuration: https://github.com/termslint/termslint
# Folders or files checked when 'termslint check' is given no paths.
paths:
  - {paths}
# Lowest severity that fails the check: error, warning or info.
fail_on: error
# Per-rule severity (error, warning, info) or off, e.g.:
# rules:
#   TL403: off
# Extra policy folders with your own Rego rules (package termslint.rules.<name>):
# policies:
#   - policies/
"""

PRE_COMMIT = """\
repos:
  - repo: {url}
    rev: v{version}
    hooks:
      - id: termslint
"""

WORKFLOW = """\
name: termslint
on:
  pull_request:
    paths:
      - "{paths}/**"
permissions:
  contents: read
  security-events: write
jobs:
  terms:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: termslint/termslint@v{version}
        with:
          paths: {paths}
"""


def init(args: argparse.Namespace) -> int:
    root = Path(args.dir)
    if not root.is_dir():
        raise TermslintError(f"{root}: no such folder", "create it or pass --dir")
    paths = args.paths.strip("/") or "."
    files = {
        root / ".termslint.yaml": CONFIG.format(paths=paths),
        root / ".pre-commit-config.yaml": PRE_COMMIT.format(url=REPO_URL, version=__version__),
        root / ".github" / "workflows" / "termslint.yml": WORKFLOW.format(paths=paths, version=__version__),
    }
    skipped = [p for p in files if p.exists()]
    for path, text in files.items():
        if path in skipped:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
            out.write(text)
        sys.stdout.write(f"wrote {path.as_posix()}\n")
    for path in skipped:
        sys.stdout.write(f"kept {path.as_posix()}: it exists; not overwritten\n")
        if path.name == ".pre-commit-config.yaml":
            sys.stdout.write("  add this entry to it:\n" + PRE_COMMIT.format(url=REPO_URL, version=__version__)
                             .split("\n", 1)[1])
    return 0
