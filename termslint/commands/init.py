"""`termslint init`: set up a legal-docs repository in one command, overwriting nothing."""
from __future__ import annotations

import argparse
import json
import re
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
{files}"""

WORKFLOW = """\
name: termslint
on:
  pull_request:
{filter}permissions:
  contents: read
  security-events: write  # upload the SARIF report to code scanning
jobs:
  terms:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # termslint reads the pull request's base commit from git history
      - id: termslint
        uses: termslint/termslint@v{version}
        with:
          paths: {paths}
          sarif: termslint.sarif
      - if: always()
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: termslint.sarif
          category: termslint
"""


def _yaml_str(text: str) -> str:
    """A YAML scalar for any folder name (a JSON string is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def render_files(paths: str) -> dict[str, str]:
    """The three files `init` writes, by path relative to the repository, for the terms folder `paths`."""
    whole_repo = paths == "."
    hook_files = "" if whole_repo else f"        files: {_yaml_str('^' + re.escape(paths) + '/')}\n"
    pr_filter = "" if whole_repo else f"    paths:\n      - {_yaml_str(paths + '/**')}\n"
    return {
        ".termslint.yaml": CONFIG.format(paths=_yaml_str(paths)),
        ".pre-commit-config.yaml": PRE_COMMIT.format(url=REPO_URL, version=__version__, files=hook_files),
        ".github/workflows/termslint.yml": WORKFLOW.format(filter=pr_filter, paths=_yaml_str(paths),
                                                           version=__version__),
    }


def init(args: argparse.Namespace) -> int:
    root = Path(args.dir)
    if not root.is_dir():
        raise TermslintError(f"{root}: no such folder", "create it or pass --dir")
    paths = args.paths.strip().strip("/") or "."
    rendered = render_files(paths)
    files = {root / rel: text for rel, text in rendered.items()}
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
            sys.stdout.write("  add this entry to it:\n" + rendered[".pre-commit-config.yaml"].split("\n", 1)[1])
    return 0
