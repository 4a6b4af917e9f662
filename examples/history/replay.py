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
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

STEPS = sorted((Path(__file__).parent / "steps").glob("*.md"))


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def replay(repo: Path) -> list[tuple[str, int]]:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "legal@example.com")
    git(repo, "config", "user.name", "Legal Team")
    outcomes = []
    for i, step in enumerate(STEPS):
        target = repo / "legal" / "terms.md"
        target.parent.mkdir(exist_ok=True)
        target.write_text(step.read_text(encoding="utf-8"), encoding="utf-8")
        git(repo, "add", "legal/terms.md")
        git(repo, "commit", "-q", "-m", step.stem)
        base = ["--base", "HEAD~1"] if i else []
        print(f"\n=== {step.stem}: termslint check {' '.join(base)} legal/", flush=True)
        code = subprocess.run([sys.executable, "-m", "termslint", "check", *base, "legal/"], cwd=repo).returncode
        print(f"--- exit code {code}", flush=True)
        outcomes.append((step.stem, code))
    return outcomes


def main() -> int:
    if len(sys.argv) > 1:
        outcomes = replay(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            outcomes = replay(Path(tmp) / "legal-docs")
    print("\n" + "\n".join(f"{name:24} {'fails' if code else 'passes'} (exit {code})" for name, code in outcomes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
