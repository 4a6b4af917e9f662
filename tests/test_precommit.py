"""The pre-commit hook (.pre-commit-hooks.yaml), with the real `pre-commit` and real git.

pre-commit installs a `language: python` hook by cloning the hook repository
at a commit and pip-installing it into a virtualenv, so the hook repository
here is a snapshot of this working tree (tracked and untracked files, less
what .gitignore drops) committed into a temporary git repository: that works
alike on a developer's checkout with uncommitted changes and on CI's fresh
clone. `try-repo` always builds its environment in a throwaway store; the
`pre-commit install` tests share one PRE_COMMIT_HOME for the session, so the
hook's environment is built twice per session in all (about 15 s each with
PyPI reachable: hatchling and termslint's dependencies are downloaded).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO, STEPS, git

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
TERMS = "legal/terms.md"
QUIET_GRANT = (STEPS / "2-quiet-ai-grant.md").read_text(encoding="utf-8")
CLEAN = (STEPS / "1-clean.md").read_text(encoding="utf-8")
FIXED = (STEPS / "5-prohibition.md").read_text(encoding="utf-8")

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@dataclass(frozen=True)
class HookRepo:
    path: Path
    rev: str


def _clean_env(**extra: str) -> dict[str, str]:
    # Variables a surrounding git hook or CI may set would point git at the wrong repository.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.pop("SKIP", None)
    env.update({"PRE_COMMIT_COLOR": "never", "NO_COLOR": "1", **extra})
    return env


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> HookRepo:
    """This working tree, committed into a temporary repository pre-commit can clone."""
    if not (REPO / ".git").exists():
        pytest.skip(f"{REPO} is not a git checkout: cannot list its files for the hook snapshot")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            check=True, capture_output=True, env=_clean_env()).stdout
    snapshot = tmp_path_factory.mktemp("hook-repo")
    for rel in sorted({p for p in os.fsdecode(listed).split("\0") if p}):
        src = REPO / rel
        if src.is_file():  # a tracked file deleted in the working tree is not in the snapshot
            dest = snapshot / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
    assert (snapshot / ".pre-commit-hooks.yaml").is_file()
    for args in (["init", "-q", "-b", "main"], ["add", "-A"],
                 ["-c", "user.email=ci@example.com", "-c", "user.name=CI", "-c", "commit.gpgsign=false",
                  "commit", "-q", "--no-verify", "-m", "snapshot"]):
        subprocess.run(["git", *args], cwd=snapshot, check=True, capture_output=True, env=_clean_env())
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=snapshot, check=True, capture_output=True, text=True,
                         env=_clean_env()).stdout.strip()
    return HookRepo(snapshot, rev)


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def write(repo: Path, rel: str, text: str) -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def head(repo: Path) -> str | None:
    proc = subprocess.run(["git", "rev-parse", "-q", "--verify", "HEAD"], cwd=repo, capture_output=True, text=True,
                          env=_clean_env())
    return proc.stdout.strip() or None


def test_hook_definition() -> None:
    from ruamel.yaml import YAML

    (hook,) = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "termslint"
    assert hook["language"] == "python"  # what users expect: pre-commit installs termslint itself
    assert hook["entry"].split()[:3] == ["termslint", "check", "--staged"]
    assert hook["types"] == ["markdown"]
    proc = run([*PRE_COMMIT, "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")], REPO, _clean_env())
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_try_repo_refuses_a_staged_quiet_ai_grant(hook_repo: HookRepo, git_repo: Path) -> None:
    write(git_repo, TERMS, CLEAN)
    git(git_repo, "add", TERMS)
    git(git_repo, "commit", "-q", "-m", "terms")
    write(git_repo, TERMS, QUIET_GRANT)
    git(git_repo, "add", TERMS)
    started = time.monotonic()
    proc = run([*PRE_COMMIT, "try-repo", str(hook_repo.path), "termslint", "--ref", hook_repo.rev,
                "--files", TERMS, "--color", "never"], git_repo, _clean_env())
    elapsed = time.monotonic() - started
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "termslint" in out and "Failed" in out
    assert "TL101" in out
    # Checked against HEAD: the quiet change itself is named (TL301 needs a base).
    assert "TL301" in out
    print(f"pre-commit try-repo (environment built from scratch): {elapsed:.1f}s")


@pytest.fixture
def hooked_repo(git_repo: Path, hook_repo: HookRepo, pre_commit_home: Path) -> tuple[Path, dict[str, str]]:
    """A legal-docs repository with `pre-commit install` run; nothing committed yet."""
    write(git_repo, ".pre-commit-config.yaml",
          f"repos:\n  - repo: {hook_repo.path}\n    rev: {hook_repo.rev}\n    hooks:\n      - id: termslint\n")
    env = _clean_env(PRE_COMMIT_HOME=str(pre_commit_home))
    proc = run([*PRE_COMMIT, "install"], git_repo, env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (git_repo / ".git" / "hooks" / "pre-commit").is_file()
    return git_repo, env


@dataclass
class Commit:
    code: int
    out: str  # git sends a hook's output to stderr; both streams, in one


def commit(repo: Path, env: dict[str, str], message: str) -> Commit:
    proc = run(["git", "commit", "-m", message], repo, env)
    return Commit(proc.returncode, proc.stdout + proc.stderr)


def test_commit_adding_a_quiet_ai_grant_is_refused_then_the_fix_is_accepted(
        hooked_repo: tuple[Path, dict[str, str]]) -> None:
    repo, env = hooked_repo
    write(repo, TERMS, CLEAN)
    git(repo, "add", "-A")
    started = time.monotonic()
    first = commit(repo, env, "terms")
    print(f"first commit through the hook (may build the environment): {time.monotonic() - started:.1f}s")
    assert first.code == 0, first.out
    assert "Passed" in first.out
    base = head(repo)

    write(repo, TERMS, QUIET_GRANT)
    git(repo, "add", TERMS)
    refused = commit(repo, env, "update the terms")
    assert refused.code != 0
    assert "TL101" in refused.out and "TL301" in refused.out, refused.out
    assert head(repo) == base, "the refused commit must not exist"

    # The commit holds the index, so the index is what counts: a fixed working
    # tree over a staged grant is still refused.
    write(repo, TERMS, FIXED)
    still = commit(repo, env, "update the terms")
    assert still.code != 0 and "TL101" in still.out
    assert (repo / TERMS).read_text(encoding="utf-8") == FIXED, "pre-commit must restore unstaged changes"

    git(repo, "add", TERMS)
    started = time.monotonic()
    accepted = commit(repo, env, "rule out AI training")
    elapsed = time.monotonic() - started
    assert accepted.code == 0, accepted.out
    assert head(repo) != base
    assert git(repo, "show", f"HEAD:{TERMS}") == FIXED
    print(f"commit through the installed hook: {elapsed:.1f}s")


def test_first_commit_of_a_file_never_committed(hooked_repo: tuple[Path, dict[str, str]]) -> None:
    repo, env = hooked_repo
    write(repo, TERMS, QUIET_GRANT)
    git(repo, "add", "-A")
    refused = commit(repo, env, "first terms")
    assert refused.code != 0
    assert "TL101" in refused.out, refused.out
    assert head(repo) is None

    write(repo, TERMS, FIXED)
    git(repo, "add", "-A")
    accepted = commit(repo, env, "first terms")
    assert accepted.code == 0, accepted.out
    assert head(repo) is not None


def test_hook_skips_files_that_are_not_markdown(hooked_repo: tuple[Path, dict[str, str]]) -> None:
    repo, env = hooked_repo
    write(repo, "legal/terms.txt", QUIET_GRANT)  # not Markdown: not the hook's business
    git(repo, "add", "-A")
    proc = commit(repo, env, "notes")
    assert proc.code == 0, proc.out
    assert "Skipped" in proc.out


def test_run_from_ref_to_ref_compares_with_the_from_ref(hooked_repo: tuple[Path, dict[str, str]]) -> None:
    """CI runs `pre-commit run --from-ref BASE --to-ref HEAD`: a grant committed on the branch fails."""
    repo, env = hooked_repo
    write(repo, TERMS, CLEAN)
    git(repo, "add", "-A")
    assert commit(repo, env, "terms").code == 0
    base = head(repo)
    write(repo, TERMS, QUIET_GRANT)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", "skip the hook")  # what CI must catch
    proc = run([*PRE_COMMIT, "run", "--from-ref", str(base), "--to-ref", "HEAD"], repo, env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "TL101" in proc.stdout and "TL301" in proc.stdout
