"""What a start-up rebuilds every time, kept between runs as Python keeps bytecode.

Two things dominate a cold start, and neither depends on the document:
- Compiling the vocabulary's regexes. Python's regex parser is written in
  Python, and a long document needs about 300 patterns, some thousands of
  characters long (130 ms). The compiler's output is a list of numbers for
  the C matcher; a later process hands that list straight to the matcher.
- Reading YAML: the vocabulary and the policies' METADATA blocks (20 ms with
  the import of the YAML library).

Both are stored in one file under the user's cache folder, keyed by their
exact source text: a changed pattern or YAML file is simply a new entry.
The old entries stay until the file outgrows a few full runs' worth; the
next save then keeps only what that process used, because reading a grown
file costs each start more than the compiling it saves.
Only that folder is written, never the repository. The file name carries
the Python release and the matcher's format, so no other Python reads it.
Anything wrong with the file (missing, unreadable, truncated, corrupt) means
building afresh: the cache can make a start slower, never a result
different. TERMSLINT_NO_CACHE=1 turns it off; TERMSLINT_CACHE_DIR moves it.
"""
from __future__ import annotations

import marshal
import os
import re
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

# (pattern, flags) -> what `_sre.compile` takes after the pattern:
# (flags, code, groups, groupindex, indexgroup).
_Compiled = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]

_MAX_BYTES = 16_000_000  # a file grown past this (old entries) starts again
# A full run over many documents keeps about 1.5 MB; reading that takes
# 4 ms, a file of 10 MB 25 ms. Past this size a save keeps only what it used.
_PRUNE_BYTES = 4_000_000

_store: dict[str, dict[Any, Any]] | None = None  # {"regex": ..., "yaml": ...}; None: not read yet
_unsaved = 0  # entries added since the file was read or written
_used: set[tuple[str, Any]] = set()  # (section, key) of each entry this process asked for
_oversized = False  # the file read was past _PRUNE_BYTES: save() prunes it even with nothing new


def cache_dir() -> Path | None:
    """Where the file lives; None when caching is off."""
    if os.environ.get("TERMSLINT_NO_CACHE", "") not in ("", "0"):
        return None
    if os.environ.get("TERMSLINT_CACHE_DIR"):
        return Path(os.environ["TERMSLINT_CACHE_DIR"])
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "termslint" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "termslint"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "termslint"


def cache_file() -> Path | None:
    try:
        import _sre

        folder = cache_dir()
        # The Python release (3.11.7, not only 3.11): a fix to the regex compiler
        # changes the code it writes without changing the matcher's format.
        tag = f"{sys.implementation.cache_tag}.{sys.version_info.micro}-{_sre.MAGIC}-{_sre.CODESIZE}"
    except (ImportError, AttributeError, RuntimeError):  # RuntimeError: no home folder
        return None
    return folder / f"startup-{tag}.bin" if folder is not None else None


def _section(name: str) -> dict[Any, Any]:
    global _store, _oversized
    if _store is None:
        _store, size = _read()
        _oversized = size > _PRUNE_BYTES
    return _store.setdefault(name, {})


def _add(section: dict[Any, Any], key: Any, value: Any) -> None:
    global _unsaved
    section[key] = value
    _unsaved += 1


# --- regexes --------------------------------------------------------------------

def regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, from the cache when it holds the pattern."""
    section = _section("regex")
    key = (pattern, int(flags))
    _used.add(("regex", key))
    compiled = section.get(key)
    if compiled is not None:
        try:
            return _from_code(pattern, compiled)
        except Exception:  # noqa: BLE001 - an entry the matcher refuses: compile it anew
            del section[key]
    rx, compiled = _compile(pattern, int(flags))
    if compiled is not None:
        _add(section, key, compiled)
    return rx


def _from_code(pattern: str, compiled: _Compiled) -> re.Pattern[str]:
    import _sre

    return _sre.compile(pattern, *compiled)


def _compile(pattern: str, flags: int) -> tuple[re.Pattern[str], _Compiled | None]:
    """What `re._compiler.compile` does, keeping the code it hands the matcher."""
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]

        tree = _parser.parse(pattern, flags)
        code = [int(op) for op in _compiler._code(tree, flags)]
        groupindex = dict(tree.state.groupdict)
        indexgroup: list[str | None] = [None] * tree.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        compiled: _Compiled = (int(flags | tree.state.flags), code, tree.state.groups - 1,
                               groupindex, tuple(indexgroup))
        return _from_code(pattern, compiled), compiled
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - a Python whose private compiler differs: the public way
        return re.compile(pattern, flags), None


# --- YAML -----------------------------------------------------------------------

def yaml(text: str, load: Callable[[str], Any]) -> Any:
    """`load(text)`, from the cache when it holds this exact text.

    Each call returns a fresh copy, which the caller may change. What
    `load` raises is raised, and nothing is kept.
    """
    section = _section("yaml")
    _used.add(("yaml", text))
    blob = section.get(text)
    if blob is not None:
        try:
            return marshal.loads(blob)
        except (ValueError, EOFError, TypeError):
            del section[text]
    data = load(text)
    try:
        _add(section, text, marshal.dumps(data))
    except ValueError:  # a value marshal cannot store (a date): not kept
        pass
    return data


# --- the file --------------------------------------------------------------------

def _read() -> tuple[dict[str, dict[Any, Any]], int]:
    """The stored entries and the file's size; nothing and 0 when it is missing or broken."""
    path = cache_file()
    if path is None:
        return {}, 0
    try:
        blob = path.read_bytes()
        data = blob[4:]
        if len(blob) > _MAX_BYTES or zlib.crc32(data).to_bytes(4, "big") != blob[:4]:
            return {}, 0
        store = marshal.loads(data)
    except (OSError, ValueError, EOFError, TypeError):
        return {}, 0
    if not isinstance(store, dict) or not all(isinstance(v, dict) for v in store.values()):
        return {}, 0
    return store, len(blob)


def save() -> None:
    """Write what this process added; silently nothing if the folder is not writable.

    Other processes may have saved meanwhile (`--jobs`): their entries are
    kept. The file is replaced in one step, so no reader sees half of it.
    A file grown past _PRUNE_BYTES keeps only the entries this process used,
    and those of a file another process has already pruned.
    """
    global _unsaved, _oversized
    path = cache_file()
    if not (_unsaved or _oversized) or _store is None or path is None:
        return
    import tempfile  # here: most runs have nothing to save

    on_disk, disk_size = _read()
    data = marshal.dumps(_merge(on_disk, _store))
    if len(data) > _PRUNE_BYTES:
        used = {name: {k: v for k, v in entries.items() if (name, k) in _used} for name, entries in _store.items()}
        data = marshal.dumps(_merge(on_disk, used) if disk_size <= _PRUNE_BYTES else used)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".startup-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(zlib.crc32(data).to_bytes(4, "big") + data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return
    _unsaved = 0
    _oversized = False


def _merge(a: dict[str, dict[Any, Any]], b: dict[str, dict[Any, Any]]) -> dict[str, dict[Any, Any]]:
    """Both stores' entries, sections in a fixed order; `b` wins where both hold a key."""
    return {name: {**a.get(name, {}), **b.get(name, {})} for name in sorted({*a, *b})}
