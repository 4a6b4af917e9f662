"""termslint.git against real git repositories in temporary directories (never a mocked git)."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from termslint import git
from termslint.errors import GitError


def run(cwd: Path, *args: str) -> str:
    """Run git for the test's own set-up, isolated from the user's and the hook's config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", HOME=str(cwd), GIT_CEILING_DIRECTORIES=str(cwd.parent))
    proc = subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false",
         "-c", "init.defaultBranch=main", *args],
        cwd=cwd, env=env, capture_output=True, check=True,
    )
    return proc.stdout.decode()


def commit_all(repo: Path, message: str = "c") -> str:
    run(repo, "add", "-A")
    run(repo, "commit", "-q", "-m", message)
    return run(repo, "rev-parse", "HEAD").strip()


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # termslint's own calls must not climb out of tmp_path into some enclosing
    # repository, nor pick up GIT_DIR from a hook that runs these tests.
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    r = tmp_path / "legal"
    (r / "docs").mkdir(parents=True)
    run(r, "init", "-q")
    (r / "terms.md").write_text("# Terms\n\n1. Old text.\n", encoding="utf-8")
    (r / "docs" / "privacy.md").write_text("# Privacy\n", encoding="utf-8")
    commit_all(r, "first")
    return r


def test_show_file_existing_and_absent(repo: Path) -> None:
    first = run(repo, "rev-parse", "HEAD").strip()
    (repo / "terms.md").write_text("# Terms\n\n1. New text.\n", encoding="utf-8")
    (repo / "new.md").write_text("# New\n", encoding="utf-8")
    commit_all(repo, "second")
    assert git.show_file(first, "terms.md", repo) == b"# Terms\n\n1. Old text.\n"
    assert git.show_file("HEAD", "terms.md", repo) == b"# Terms\n\n1. New text.\n"
    assert git.show_file(first, "new.md", repo) is None  # added after the base: a new document
    assert git.show_file("HEAD", "never.md", repo) is None
    assert git.show_file("HEAD", "docs", repo) is None  # a directory is not a document


def test_paths_relative_to_cwd_and_absolute(repo: Path) -> None:
    sub = repo / "docs"
    assert git.show_file("HEAD", "privacy.md", sub) == b"# Privacy\n"
    assert git.show_file("HEAD", "../terms.md", sub) == git.show_file("HEAD", "terms.md", repo)
    assert git.show_file("HEAD", repo / "docs" / "privacy.md", repo) == b"# Privacy\n"
    assert git.relative_path("privacy.md", sub) == "docs/privacy.md"


def test_path_outside_the_repository(repo: Path, tmp_path: Path) -> None:
    (tmp_path / "elsewhere.md").write_text("x", encoding="utf-8")
    with pytest.raises(GitError, match="outside the git repository"):
        git.show_file("HEAD", tmp_path / "elsewhere.md", repo)
    with pytest.raises(GitError, match="outside the git repository"):
        git.show_file("HEAD", "../elsewhere.md", repo)


def test_resolve_rev_gives_the_full_sha(repo: Path) -> None:
    sha = run(repo, "rev-parse", "HEAD").strip()
    assert git.resolve_rev("HEAD", repo) == sha
    assert git.resolve_rev("main", repo) == sha
    assert git.resolve_rev(sha[:10], repo) == sha
    run(repo, "tag", "-a", "v1", "-m", "annotated tag")
    assert git.resolve_rev("v1", repo) == sha  # the commit, not the tag object


def test_missing_revision_names_the_fetch(repo: Path) -> None:
    with pytest.raises(GitError) as exc:
        git.resolve_rev("main~3", repo)
    assert str(exc.value) == (
        "revision 'main~3' not found; fetch it (git fetch origin main) or, "
        "in GitHub Actions, check out with fetch-depth: 0"
    )
    with pytest.raises(GitError, match=r"git fetch origin release"):
        git.show_file("origin/release", "terms.md", repo)


def test_option_like_revision_is_refused(repo: Path) -> None:
    with pytest.raises(GitError, match="invalid revision"):
        git.resolve_rev("--output=/tmp/x", repo)


def test_not_a_repository(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    for call in (lambda: git.repo_root(plain), lambda: git.show_file("HEAD", "a.md", plain),
                 lambda: git.head_exists(plain)):
        with pytest.raises(GitError) as exc:
            call()
        assert "not inside a git repository" in str(exc.value)
        assert str(exc.value).endswith("run it inside the legal-docs repository, or drop --base")


def test_inside_git_dir_or_bare_repository(repo: Path, tmp_path: Path) -> None:
    bare = tmp_path / "bare.git"
    run(tmp_path, "init", "-q", "--bare", str(bare))
    for where in (repo / ".git", bare):
        with pytest.raises(GitError, match="is not inside a git work tree; run it inside the legal-docs"):
            git.show_file("HEAD", "terms.md", where)


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="is not a directory"):
        git.repo_root(tmp_path / "nope")


def test_shallow_clone_without_the_revision(repo: Path, tmp_path: Path) -> None:
    first = run(repo, "rev-parse", "HEAD").strip()
    (repo / "terms.md").write_text("# Terms\n\n1. Changed.\n", encoding="utf-8")
    commit_all(repo, "second")
    clone = tmp_path / "clone"
    run(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    assert git.show_file("HEAD", "terms.md", clone) == b"# Terms\n\n1. Changed.\n"
    for rev in (first, "HEAD~1"):
        with pytest.raises(GitError) as exc:
            git.show_file(rev, "terms.md", clone)
        assert "shallow clone" in str(exc.value)
        assert "fetch-depth: 0" in str(exc.value)


def test_staged_content(repo: Path) -> None:
    (repo / "terms.md").write_text("staged\n", encoding="utf-8")
    run(repo, "add", "terms.md")
    (repo / "terms.md").write_text("working tree, not staged\n", encoding="utf-8")
    (repo / "untracked.md").write_text("u\n", encoding="utf-8")
    assert git.staged_file("terms.md", repo) == b"staged\n"
    assert git.staged_file("untracked.md", repo) is None
    assert git.staged_file("privacy.md", repo / "docs") == b"# Privacy\n"
    assert git.staged_files(["terms.md", "untracked.md"], repo) == {
        "terms.md": b"staged\n", "untracked.md": None}


def test_staged_file_in_a_merge_conflict(repo: Path) -> None:
    run(repo, "checkout", "-q", "-b", "other")
    (repo / "terms.md").write_text("theirs\n", encoding="utf-8")
    commit_all(repo, "theirs")
    run(repo, "checkout", "-q", "main")
    (repo / "terms.md").write_text("ours\n", encoding="utf-8")
    commit_all(repo, "ours")
    with pytest.raises(subprocess.CalledProcessError):
        run(repo, "merge", "-q", "other")
    with pytest.raises(GitError, match=r"terms.md has unresolved merge conflicts; resolve them"):
        git.staged_file("terms.md", repo)


def test_repository_without_commits(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    run(fresh, "init", "-q")
    (fresh / "terms.md").write_text("# T\n", encoding="utf-8")
    assert git.head_exists(fresh) is False
    with pytest.raises(GitError, match="no commit yet; commit the documents first, or drop --base"):
        git.resolve_rev("HEAD", fresh)
    run(fresh, "add", "terms.md")
    assert git.staged_file("terms.md", fresh) == b"# T\n"  # the first commit's hook still works
    commit_all(fresh)
    assert git.head_exists(fresh) is True


def test_paths_with_spaces_unicode_and_newlines(repo: Path) -> None:
    names = ["legal docs/Übersicht — Nutzungsbedingungen.md", "日本語 terms.md", "odd\nname.md",
             "star*[x].md"]
    for name in names:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_bytes(f"# {name}\r\n".encode())
    commit_all(repo)
    got = git.show_files("HEAD", names, repo)
    assert got == {n: f"# {n}\r\n".encode() for n in names}  # bytes exactly: CRLF kept
    assert git.show_file("HEAD", "Übersicht — Nutzungsbedingungen.md", repo / "legal docs") is not None


def test_many_files_in_one_git_process(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = repo / "many"
    docs.mkdir()
    names = [f"many/doc {i:03}.md" for i in range(300)]
    for i, name in enumerate(names):
        (repo / name).write_bytes(b"# Doc %d\n" % i + b"x" * i)  # sizes differ: framing is exercised
    commit_all(repo)
    calls: list[list[str]] = []
    real_run = git._run

    def counting(args: list[str], *a: object, **kw: object) -> object:
        calls.append(list(args))
        return real_run(args, *a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(git, "_run", counting)
    got = git.show_files("HEAD", [*names, "many/missing.md"], repo)
    assert [got[n] for n in names] == [b"# Doc %d\n" % i + b"x" * i for i in range(300)]
    assert got["many/missing.md"] is None
    assert sum(1 for c in calls if c[0] == "cat-file") == 1
    assert len(calls) <= 4  # root, resolve (root + rev-parse), one cat-file: not one per file


def test_keys_keep_the_callers_objects(repo: Path) -> None:
    p = Path("terms.md")
    assert list(git.show_files("HEAD", [p], repo)) == [p]


def test_changed_files(repo: Path) -> None:
    base = run(repo, "rev-parse", "HEAD").strip()
    (repo / "terms.md").write_text("changed\n", encoding="utf-8")
    run(repo, "mv", "docs/privacy.md", "docs/privacy policy.md")
    (repo / "added.md").write_text("new, untracked\n", encoding="utf-8")
    (repo / ".gitignore").write_text("ignored.md\n", encoding="utf-8")
    (repo / "ignored.md").write_text("x\n", encoding="utf-8")
    assert git.changed_files(base, repo) == [
        ".gitignore", "added.md", "docs/privacy policy.md", "docs/privacy.md", "terms.md"]
    commit_all(repo)
    assert git.changed_files("HEAD", repo) == []
    assert "terms.md" in git.changed_files(base, repo / "docs")  # always relative to the root


def test_git_not_installed(repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(GitError, match="git is not installed"):
        git.repo_root(repo)


def test_relative_hook_variables_are_made_absolute(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # git runs hooks with GIT_INDEX_FILE (and sometimes GIT_DIR) relative to the
    # root; termslint must read the same index from wherever it passes -C.
    (repo / "terms.md").write_text("in the alternate index\n", encoding="utf-8")
    env = {**os.environ, "GIT_INDEX_FILE": str(repo / ".git" / "alt-index")}
    subprocess.run(["git", "add", "terms.md"], cwd=repo, env=env, check=True)
    monkeypatch.chdir(repo / "docs")
    monkeypatch.setenv("GIT_INDEX_FILE", "../.git/alt-index")  # relative to our cwd, not to -C
    assert git.staged_file("terms.md", repo) == b"in the alternate index\n"
