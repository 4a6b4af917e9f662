"""Shared test helpers: the repository, ../shared, real git repositories and the real CLI."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLES = REPO / "examples"
STEPS = EXAMPLES / "history" / "steps"


@pytest.fixture(scope="session", autouse=True)
def _own_startup_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """termslint's start-up cache (termslint/cache.py) in a folder of the session, not the user's."""
    os.environ["TERMSLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("termslint-cache"))
    os.environ.pop("TERMSLINT_NO_CACHE", None)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared not found beside the repository ({SHARED})")
    return SHARED


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_termslint(*args: str, cwd: Path | str | None = None, env: dict[str, str] | None = None,
                  input: str | None = None) -> Run:
    """Run the real CLI in a subprocess, as a user or CI would."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("GITHUB_STEP_SUMMARY", None) if "GITHUB_STEP_SUMMARY" not in (env or {}) else None
    proc = subprocess.run([sys.executable, "-m", "termslint", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, input=input, timeout=300)
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def termslint() -> Callable[..., Run]:
    return run_termslint


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def git_repo(tmp_path: Path) -> Path:
    """A fresh git repository with an identity, so commits work on CI machines too."""
    repo = tmp_path / "legal-docs"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "legal@example.com")
    git(repo, "config", "user.name", "Legal Team")
    git(repo, "config", "commit.gpgsign", "false")
    return repo


def commit_file(repo: Path, rel: str, text: str, message: str) -> str:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    git(repo, "add", rel)
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def write(folder: Path, files: dict[str, str | bytes]) -> None:
    """Write a tree of test files: text as UTF-8, bytes as they are."""
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
