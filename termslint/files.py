"""Finding the documents to check, and writing reports without ever half-writing one."""
from __future__ import annotations

import fnmatch
import os
import tempfile
from pathlib import Path

from termslint.errors import InputError, TermslintError


def display_path(path: Path, cwd: Path) -> str:
    """The path as users see it in findings: relative to cwd when inside it, with forward slashes."""
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _matches(rel: str, patterns: list[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def expand_paths(paths: list[str], include: list[str], exclude: list[str], cwd: Path) -> list[str]:
    """Files named on the command line, and the matching files under named folders.

    A file named explicitly is checked whatever its extension (pre-commit passes
    exactly the files it wants); folders are walked for `include` patterns.
    Hidden folders (.git, .venv) are skipped. The result is sorted and unique.
    """
    found: set[str] = set()
    for raw in paths:
        p = Path(raw)
        if not p.is_absolute():
            p = cwd / p
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    rel = display_path(Path(root) / name, cwd)
                    if _matches(rel, include) and not _matches(rel, exclude):
                        found.add(rel)
        elif p.exists():
            rel = display_path(p, cwd)
            if not _matches(rel, exclude):
                found.add(rel)
        else:
            raise InputError(f"{raw}: no such file or folder", "check the path")
    return sorted(found)


def write_atomic(path: str | Path, text: str) -> None:
    """Write a report or baseline so a reader never sees half a file.

    The text goes to a temporary file beside the target, then replaces it in
    one rename; an interrupted run leaves the old file as it was.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise TermslintError(f"{target}: folder {folder} does not exist", "create it or choose another --output")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
