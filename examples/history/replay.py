#!/usr/bin/env python3
"""Replay a Zoom-2023-style change history in a throwaway legal-docs repository.

Each step in steps/ becomes one commit of legal/terms.md; after each commit
termslint checks it against the commit before, as the pull-request check
would. Usage: python examples/history/replay.py [FOLDER]  (default: a temp dir)

  1-clean               a licence tied to providing the service
  2-quiet-ai-grant      AI training and "any purpose" added, no new date: fails
  3-unrelated-edit      another clause reworded: passes, old findings are existing
  4-partial-carve-out   "will not use audio, video or chat ... without consent": fails
  5-prohibition         the grant withdrawn, AI training ruled out: passes

tests/test_history.py runs `replay()` with `--format json` and checks each step.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

STEPS = sorted((Path(__file__).parent / "steps").glob("*.md"))
TARGET = "legal/terms.md"


@dataclass
class Outcome:
    step: str  # the step's file name without .md, e.g. "2-quiet-ai-grant"
    code: int  # termslint's exit code
    output: str  # what termslint printed (empty when it went to the terminal)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def replay(repo: Path, fmt: str = "text", echo: bool = True) -> list[Outcome]:
    """Commit each step in a new repository at `repo` and check it against the one before."""
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "legal@example.com")
    git(repo, "config", "user.name", "Legal Team")
    git(repo, "config", "commit.gpgsign", "false")
    outcomes = []
    for i, step in enumerate(STEPS):
        target = repo / TARGET
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(step.read_bytes())
        git(repo, "add", TARGET)
        git(repo, "commit", "-q", "-m", step.stem)
        base = ["--base", "HEAD~1"] if i else []
        cmd = [sys.executable, "-m", "termslint", "check", "--format", fmt, *base, "legal/"]
        if echo:
            print(f"\n=== {step.stem}: termslint check {' '.join(cmd[4:])}", flush=True)
        proc = subprocess.run(cmd, cwd=repo, stdout=None if echo else subprocess.PIPE, text=True)
        if echo:
            print(f"--- exit code {proc.returncode}", flush=True)
        outcomes.append(Outcome(step.stem, proc.returncode, proc.stdout or ""))
    return outcomes


def main() -> int:
    if len(sys.argv) > 1:
        outcomes = replay(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            outcomes = replay(Path(tmp) / "legal-docs")
    print("\n" + "\n".join(f"{o.step:24} {'fails' if o.code else 'passes'} (exit {o.code})" for o in outcomes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
