"""Reading legal documents out of git: the base revision, the index, what changed.

Every git call goes through `_run`, one subprocess wrapper (`git -C <dir> ...`,
arguments as a list, never a shell), so that environment handling, decoding
and error messages live in one place. A failure becomes a `GitError` whose
message names the fix, because the usual causes are set-up mistakes the user
can correct in a minute: not in a repository, a revision never fetched, a
shallow CI checkout, git not installed.

Paths given to this module may be absolute or relative to `cwd`; git is
always asked for `<rev>:<path relative to the repository root>`, so a run
from a sub-folder reads the same blob as a run from the root.
"""
from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from termslint.errors import GitError

PathT = TypeVar("PathT", str, Path)

_NOT_A_REPO_FIX = "run it inside the legal-docs repository, or drop --base"
_ACTIONS_FIX = "in GitHub Actions, check out with fetch-depth: 0"

# Variables git exports to hooks. They may be relative to the directory git was
# started in, which is not necessarily the `-C` directory we pass, so they are
# made absolute against our own working directory (as git would read them).
_PATH_VARS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    for var in _PATH_VARS:
        value = env.get(var)
        if value and not os.path.isabs(value):
            env[var] = os.path.abspath(value)
    # Messages in English so that the few we recognise ("dubious ownership")
    # are recognised whatever the user's locale; file contents are bytes anyway.
    env["LC_ALL"] = "C"
    env["LANGUAGE"] = "C"
    # A pre-commit hook runs while `git commit` holds index.lock: never take
    # optional locks (index refresh) that would collide with it.
    env["GIT_OPTIONAL_LOCKS"] = "0"
    # Never block CI on a credential prompt.
    env["GIT_TERMINAL_PROMPT"] = "0"
    return env


def _run(args: Sequence[str], cwd: str | os.PathLike[str], *, stdin: bytes | None = None,
         check: bool = True) -> subprocess.CompletedProcess[bytes]:
    """Run `git -C cwd *args`; with `check`, a non-zero exit raises a GitError.

    stdout stays bytes (documents are decoded by `termslint.read`, which knows
    about BOMs and binary files); stderr is decoded here for messages.
    """
    cmd = ["git", "-C", os.fspath(cwd), *args]
    try:
        proc = subprocess.run(cmd, input=stdin, capture_output=True, env=_env(), check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)", "install git, or drop --base") from None
    except OSError as exc:
        raise GitError(f"could not run git: {exc}", "check the git installation, or drop --base") from None
    if check and proc.returncode != 0:
        raise _error_from(proc, cwd)
    return proc


def _stderr(proc: subprocess.CompletedProcess[bytes]) -> str:
    return proc.stderr.decode("utf-8", "replace").strip()


def _error_from(proc: subprocess.CompletedProcess[bytes], cwd: str | os.PathLike[str]) -> GitError:
    """Turn a failed call into the one-line error for its most likely cause."""
    err = _stderr(proc)
    if "dubious ownership" in err:
        # Common in containers and GitHub Actions when the checkout belongs to another user.
        where = os.path.abspath(cwd)
        return GitError(f"git refuses to read {where}: the repository belongs to another user",
                        f"mark it safe (git config --global --add safe.directory {where})")
    if not os.path.isdir(cwd):
        return GitError(f"{os.fspath(cwd)} is not a directory",
                        "run it from inside the legal-docs repository")
    if "not a git repository" in err:
        return GitError(f"{os.fspath(cwd)} is not inside a git repository", _NOT_A_REPO_FIX)
    if "must be run in a work tree" in err:  # a bare repository, or inside .git
        return GitError(f"{os.fspath(cwd)} is not inside a git work tree", _NOT_A_REPO_FIX)
    first = err.splitlines()[0] if err else f"exit status {proc.returncode}"
    cmd = " ".join(str(a) for a in proc.args[3:5])  # skip "git -C <dir>"
    return GitError(f"git {cmd} failed: {first}", "check the repository with `git status`, or drop --base")


# ---------------------------------------------------------------- the repository

def repo_root(cwd: str | os.PathLike[str]) -> Path:
    """The top of the work tree that contains `cwd` (symlinks resolved, as git does)."""
    proc = _run(["rev-parse", "--show-toplevel"], cwd)
    out = os.fsdecode(proc.stdout.rstrip(b"\n"))
    if not out:  # older git prints nothing inside .git: there is no work tree to read paths from
        raise GitError(f"{os.fspath(cwd)} is not inside a git work tree", _NOT_A_REPO_FIX)
    return Path(out)


def head_exists(cwd: str | os.PathLike[str]) -> bool:
    """Whether the repository has a commit yet (a fresh `git init` has none)."""
    repo_root(cwd)  # so that "not a repository" is reported as such, not as "no commit"
    proc = _run(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], cwd, check=False)
    return proc.returncode == 0


def _is_shallow(cwd: str | os.PathLike[str]) -> bool:
    proc = _run(["rev-parse", "--is-shallow-repository"], cwd, check=False)
    return proc.stdout.strip() == b"true"


def _fetch_hint(rev: str) -> str:
    """The `git fetch` that would most likely bring `rev` in ("origin/main~3" -> "git fetch origin main")."""
    name = re.split(r"[~^@:]", rev, maxsplit=1)[0]
    if name.startswith("refs/remotes/"):
        name = name[len("refs/remotes/"):]
    elif name.startswith("refs/heads/"):
        name = name[len("refs/heads/"):]
    remote, _, branch = name.partition("/")
    if branch and remote in ("origin", "upstream"):
        return f"git fetch {remote} {branch}"
    if name in ("", "HEAD"):
        return "git fetch origin"
    return f"git fetch origin {name}"


def resolve_rev(rev: str, cwd: str | os.PathLike[str]) -> str:
    """The full sha of the commit `rev` names, or a GitError that says how to get it."""
    if not rev or rev.startswith("-"):
        # A leading dash would be read as an option by git.
        raise GitError(f"invalid revision {rev!r}", "pass a branch, tag or commit, e.g. --base origin/main")
    repo_root(cwd)
    proc = _run(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd, check=False)
    if proc.returncode == 0:
        return proc.stdout.decode("ascii").strip()
    if not head_exists(cwd):
        raise GitError(f"revision {rev!r} not found: the repository has no commit yet",
                       "commit the documents first, or drop --base")
    if _is_shallow(cwd):
        raise GitError(f"revision {rev!r} not found in this shallow clone",
                       f"fetch the history (git fetch --unshallow origin) or, {_ACTIONS_FIX}")
    raise GitError(f"revision {rev!r} not found", f"fetch it ({_fetch_hint(rev)}) or, {_ACTIONS_FIX}")


def relative_path(path: str | os.PathLike[str], cwd: str | os.PathLike[str],
                  root: Path | None = None) -> str:
    """`path` (absolute, or relative to `cwd`) relative to the repository root, with '/'.

    Symlinked directories are resolved because git reports the root resolved;
    the last component is kept as written, so a symlinked file is read as the
    link git stores, not as its target.
    """
    root = root if root is not None else repo_root(cwd)
    full = os.path.join(os.path.abspath(cwd), os.fspath(path))
    head, name = os.path.split(os.path.normpath(full))
    real = Path(os.path.realpath(head)) / name
    try:
        rel = real.relative_to(os.path.realpath(root))
    except ValueError:
        raise GitError(f"{os.fspath(path)} is outside the git repository at {root}",
                       "check only files inside the repository when using --base") from None
    if not rel.parts:
        raise GitError(f"{os.fspath(path)} is the repository itself, not a file",
                       "pass the Markdown files (or folders, which are searched) to check")
    return rel.as_posix()


# ---------------------------------------------------------------- file contents

def _cat_files(specs: list[str], root: Path) -> list[bytes | None]:
    """Blob contents for `<rev>:<path>` / `:<path>` specs, in one `git cat-file --batch` process.

    A spec that does not name a blob (missing path, a directory, a submodule)
    gives None. The batch protocol is newline-delimited, so the rare spec with
    a newline in it is asked for on its own.
    """
    out: list[bytes | None] = [None] * len(specs)
    batch = [i for i, s in enumerate(specs) if "\n" not in s]
    if batch:
        stdin = b"".join(os.fsencode(specs[i]) + b"\n" for i in batch)
        proc = _run(["cat-file", "--batch"], root, stdin=stdin)
        data, pos = proc.stdout, 0
        for i in batch:
            end = data.index(b"\n", pos)
            header = data[pos:end].split(b" ")
            pos = end + 1
            # "<oid> <type> <size>" or "<spec> missing" / "<spec> ambiguous"
            kind = header[-2] if len(header) >= 3 and header[-1].isdigit() else b""
            if kind in (b"blob", b"tree", b"commit", b"tag"):
                size = int(header[-1])
                if kind == b"blob":
                    out[i] = data[pos:pos + size]
                pos += size + 1  # the content is followed by a newline
    for i, spec in enumerate(specs):
        if "\n" in spec and _run(["cat-file", "-t", spec], root, check=False).stdout.strip() == b"blob":
            out[i] = _run(["cat-file", "blob", spec], root).stdout
    return out


def show_files(rev: str, paths: Iterable[PathT], cwd: str | os.PathLike[str]) -> dict[PathT, bytes | None]:
    """Each path's content at `rev` (None where the file does not exist there), one git process.

    Keys are the paths exactly as given. A repository can hold hundreds of
    documents, so one `cat-file --batch` replaces hundreds of `git show`.
    """
    root = repo_root(cwd)
    sha = resolve_rev(rev, cwd)
    given = list(paths)
    rels = [relative_path(p, cwd, root) for p in given]
    contents = _cat_files([f"{sha}:{r}" for r in rels], root)
    return dict(zip(given, contents))


def show_file(rev: str, path: str | os.PathLike[str], cwd: str | os.PathLike[str]) -> bytes | None:
    """The file's content at `rev`, or None when it does not exist there."""
    p = os.fspath(path)
    return show_files(rev, [p], cwd)[p]


def staged_files(paths: Iterable[PathT], cwd: str | os.PathLike[str]) -> dict[PathT, bytes | None]:
    """Each path's staged (index) content, None where it is not in the index; one git process.

    This is what a pre-commit hook must check: the commit will contain the
    index, not the working tree.
    """
    root = repo_root(cwd)
    given = list(paths)
    rels = [relative_path(p, cwd, root) for p in given]
    contents = _cat_files([f":{r}" for r in rels], root)
    missing: list[str] = [r for r, c in zip(rels, contents) if c is None]
    if missing:
        # ":path" is stage 0 only; a path in a merge conflict has stages 1-3 and
        # would otherwise look like a file that is not staged at all.
        proc = _run(["ls-files", "--unmerged", "-z", "--", *(f":(top,literal){r}" for r in missing)], root)
        if proc.stdout:
            conflicted = os.fsdecode(proc.stdout.split(b"\0")[0].split(b"\t", 1)[-1])
            raise GitError(f"{conflicted} has unresolved merge conflicts",
                           f"resolve them and stage the result (git add {conflicted})")
    return dict(zip(given, contents))


def staged_file(path: str | os.PathLike[str], cwd: str | os.PathLike[str]) -> bytes | None:
    """The file's staged (index) content, or None when the index does not hold it."""
    p = os.fspath(path)
    return staged_files([p], cwd)[p]


# ---------------------------------------------------------------- what changed

def changed_files(base: str, cwd: str | os.PathLike[str]) -> list[str]:
    """Paths (relative to the repository root, '/'-separated, sorted) that differ from `base`.

    The comparison is the commit `base` against the working tree, which is
    what `--base` compares (the file at REV against the file on disk); it
    includes deleted files and, since they are new documents too, untracked
    files that are not ignored. Renames are listed as both names.
    """
    root = repo_root(cwd)
    sha = resolve_rev(base, cwd)
    diff = _run(["diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", sha, "--"], root)
    untracked = _run(["ls-files", "--others", "--exclude-standard", "-z", "--full-name"], root)
    names = {os.fsdecode(n) for n in (diff.stdout + untracked.stdout).split(b"\0") if n}
    return sorted(names)
