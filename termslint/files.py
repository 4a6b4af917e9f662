"""Finding the documents to check, and writing reports without ever half-writing one."""
from __future__ import annotations

import fnmatch
import os
import stat
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


def _new_file_mode(target: Path) -> int:
    """The permissions the written file should have: an existing file keeps its
    own; a new one gets what open() would give it under the umask (mkstemp
    makes 0600 files, which other users and CI steps could not read)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0o022)  # there is no way to read the umask without setting it
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write a report, baseline or bundle so a reader never sees half a file.

    The data goes to a temporary file beside the target, then replaces it in
    one rename; an interrupted or failed run leaves the old file as it was and
    no temporary file behind. An OS error (a read-only folder, a full disk, a
    target that is a folder) is a `TermslintError` naming the file.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise TermslintError(f"cannot write {target}: folder {folder} does not exist",
                             "create it or choose another --output")
    if target.is_dir():
        raise TermslintError(f"cannot write {target}: it is a folder",
                             "name a file inside it, or choose another --output")
    mode = _new_file_mode(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise TermslintError(f"cannot write {target}: {exc.strerror or exc}",
                             "make the folder writable or choose another --output") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise TermslintError(f"cannot write {target}: {exc.strerror or exc}",
                                 "check the disk and the folder's permissions, or choose another --output") from None
        raise
