"""The start-up cache: compiled regexes and parsed YAML kept between runs.

It may make a start slower (a missing or broken file), never a result
different, and it writes nowhere but its own folder.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import STEPS, Run

from termslint import cache

PATTERNS = [
    (r"\b(?:train(?:s|ing|ed)?|fine-tun\w+)\s+(?:our\s+)?models?\b", 0),
    (r"(?P<verb>use|share)s?\s+(?P<what>your\s+\w+)", re.IGNORECASE),
    (r"(?<![\w-])(?:AI|ML)(?![\w-])", 0),
    (r"^\s*(\d+(?:\.\d+)*)[.)]?\s+(.+)$", re.MULTILINE),
    (r"données|Künstliche\s+Intelligenz", re.IGNORECASE),
]
TEXTS = [
    "We may use your content and train our models; fine-tuning models is allowed.",
    "WE SHARE YOUR DATA. We Use Your Content.",
    "AI, non-AI, ML-based and AI-generated",
    "1. Scope\n 2.3) Licence\nno number",
    "vos DONNÉES et la künstliche intelligenz",
]


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder, and the module as in a new process."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("TERMSLINT_CACHE_DIR", str(folder))
    monkeypatch.delenv("TERMSLINT_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "_store", None)
    monkeypatch.setattr(cache, "_unsaved", 0)
    monkeypatch.setattr(cache, "_used", set())
    monkeypatch.setattr(cache, "_oversized", False)
    yield folder


def new_process() -> None:
    cache._store = None
    cache._unsaved = 0
    cache._used = set()
    cache._oversized = False


def process_state() -> dict[str, object]:
    return {name: getattr(cache, name) for name in ("_store", "_unsaved", "_used", "_oversized")}


def fill_with_old_entries(n: int) -> None:
    """Entries an older vocabulary left behind: YAML texts no run asks for any more."""
    for i in range(n):
        cache.yaml(f"old: {i}\n" + "x" * 200, lambda text: {"old": text})
    cache.save()


def stored_yaml() -> set[str]:
    new_process()
    return set(cache._section("yaml"))


def behaviour(rx: re.Pattern[str]) -> list[object]:
    return [rx.pattern, rx.flags, rx.groups, rx.groupindex,
            *([m.span(), m.groups()] for t in TEXTS for m in rx.finditer(t))]


def test_a_regex_read_back_from_the_file_matches_as_re_compile_does(fresh: Path) -> None:
    for pattern, flags in PATTERNS:
        cache.regex(pattern, flags)
    cache.save()
    assert cache.cache_file() is not None and cache.cache_file().is_file()  # type: ignore[union-attr]
    new_process()
    assert len(cache._section("regex")) == len(PATTERNS)  # all of them come from the file now
    for pattern, flags in PATTERNS:
        assert behaviour(cache.regex(pattern, flags)) == behaviour(re.compile(pattern, flags))
    assert cache._unsaved == 0  # nothing compiled anew


def test_a_bad_pattern_raises_as_re_does(fresh: Path) -> None:
    with pytest.raises(re.error, match="missing"):
        cache.regex(r"(unclosed")
    assert cache._unsaved == 0


@pytest.mark.parametrize("damage", [
    lambda blob: blob[: len(blob) // 2],  # truncated
    lambda blob: blob[:10] + bytes([blob[10] ^ 0xFF]) + blob[11:],  # one byte changed
    lambda blob: b"",
    lambda blob: b"not a cache at all",
])
def test_a_damaged_file_is_ignored_and_rewritten(fresh: Path, damage: Callable[[bytes], bytes]) -> None:
    pattern, flags = PATTERNS[1]
    cache.regex(pattern, flags)
    cache.save()
    path = cache.cache_file()
    assert path is not None
    path.write_bytes(damage(path.read_bytes()))
    new_process()
    assert behaviour(cache.regex(pattern, flags)) == behaviour(re.compile(pattern, flags))
    assert cache._unsaved == 1  # compiled anew, not read from the damaged file
    cache.save()
    new_process()
    assert (pattern, int(flags)) in cache._section("regex")


def test_an_unwritable_folder_is_no_error(fresh: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TERMSLINT_CACHE_DIR", str(blocker / "cache"))
    rx = cache.regex(*PATTERNS[0])
    cache.save()  # cannot create the folder: nothing happens
    assert rx.search(TEXTS[0]) is not None
    assert blocker.read_text() == "not a folder"


def test_no_cache_writes_nothing(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERMSLINT_NO_CACHE", "1")
    cache.regex(*PATTERNS[0])
    cache.save()
    assert cache.cache_file() is None
    assert not fresh.exists()


def test_yaml_is_parsed_once_and_each_caller_gets_its_own_copy(fresh: Path) -> None:
    calls: list[str] = []

    def load(text: str) -> object:
        calls.append(text)
        return {"purposes": ["ai_training"], "n": 1}

    first = cache.yaml("purposes: [ai_training]\nn: 1\n", load)
    first["purposes"].append("changed by the caller")
    cache.save()
    new_process()
    again = cache.yaml("purposes: [ai_training]\nn: 1\n", load)
    assert again == {"purposes": ["ai_training"], "n": 1}
    assert calls == ["purposes: [ai_training]\nn: 1\n"]  # read from the file the second time
    assert cache.yaml("n: 2\n", lambda text: {"n": 2}) == {"n": 2}  # other text, other entry


def test_a_grown_file_keeps_only_what_the_next_run_used(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "_PRUNE_BYTES", 40_000)
    cache.yaml("kept: 1\n", lambda text: {"kept": 1})
    fill_with_old_entries(50)
    path = cache.cache_file()
    assert path is not None and path.stat().st_size < 40_000  # under the limit: everything is kept
    assert len(stored_yaml()) == 51
    fill_with_old_entries(100)  # now past it
    assert path.stat().st_size > 40_000

    new_process()
    rx = cache.regex(*PATTERNS[2])  # a new entry
    assert cache.yaml("kept: 1\n", lambda text: {"kept": "loaded again"}) == {"kept": 1}  # from the file
    cache.save()
    assert path.stat().st_size < 2_000
    assert stored_yaml() == {"kept: 1\n"}
    assert behaviour(cache.regex(*PATTERNS[2])) == behaviour(rx)
    assert cache._unsaved == 0  # the new entry was kept too


def test_a_grown_file_is_pruned_by_a_run_that_compiled_nothing(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "_PRUNE_BYTES", 40_000)
    cache.yaml("kept: 1\n", lambda text: {"kept": 1})
    fill_with_old_entries(150)
    new_process()
    cache.yaml("kept: 1\n", lambda text: {"kept": "loaded again"})
    assert cache._unsaved == 0
    cache.save()
    assert stored_yaml() == {"kept: 1\n"}
    new_process()
    cache.yaml("kept: 1\n", lambda text: {"kept": "loaded again"})
    before = cache.cache_file().stat().st_mtime_ns  # type: ignore[union-attr]
    cache.save()  # a small file with nothing new is not written again
    assert cache.cache_file().stat().st_mtime_ns == before  # type: ignore[union-attr]


def test_two_processes_pruning_the_same_file_keep_what_each_used(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As the workers of `--jobs`: both read the grown file, then save one after the other."""
    monkeypatch.setattr(cache, "_PRUNE_BYTES", 40_000)
    fill_with_old_entries(150)
    new_process()
    cache.yaml("first: 1\n", lambda text: {"first": 1})
    first = process_state()
    new_process()
    cache.yaml("second: 1\n", lambda text: {"second": 1})
    cache.save()  # the second process saves first: the file now holds its entry only
    for name, value in first.items():
        setattr(cache, name, value)
    cache.save()  # the first: its entry joins the pruned file, the old ones do not come back
    assert stored_yaml() == {"first: 1\n", "second: 1\n"}


def test_yaml_that_fails_to_load_is_not_kept(fresh: Path) -> None:
    def broken(text: str) -> object:
        raise ValueError("bad YAML")

    with pytest.raises(ValueError, match="bad YAML"):
        cache.yaml("a: [", broken)
    assert cache._unsaved == 0


def test_a_check_prints_the_same_bytes_cold_warm_and_without_cache(
        termslint: Callable[..., Run], tmp_path: Path) -> None:
    doc = STEPS / "2-quiet-ai-grant.md"
    folder = tmp_path / "cache"
    env = {"TERMSLINT_CACHE_DIR": str(folder)}
    cold = termslint("check", "--format", "json", str(doc), env=env, cwd=tmp_path)
    files = sorted(p.name for p in folder.iterdir())
    warm = termslint("check", "--format", "json", str(doc), env=env, cwd=tmp_path)
    off = termslint("check", "--format", "json", str(doc), env={**env, "TERMSLINT_NO_CACHE": "1"}, cwd=tmp_path)
    assert cold.code == warm.code == off.code == 1, cold.err
    assert '"TL101"' in cold.out
    assert cold.out == warm.out == off.out
    assert len(files) == 1 and files[0].startswith("startup-")  # one file, in its folder only
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]  # nothing in the working folder


def test_only_what_does_not_depend_on_the_document_is_kept(
        termslint: Callable[..., Run], tmp_path: Path) -> None:
    """A document's own names and defined terms are compiled per run, or the file grows with every document."""
    folder = tmp_path / "cache"
    env = {"TERMSLINT_CACHE_DIR": str(folder)}
    doc = tmp_path / "terms.md"
    doc.write_text('# Quuxcorp Terms of Service\n\n## 1. Definitions\n\n"Widget Records" means data you upload.\n\n'
                   "## 2. Use\n\nQuuxcorp may use Widget Records to train its models.\n", encoding="utf-8")
    assert termslint("check", str(doc), env=env, cwd=tmp_path).code == 1
    stored = next(folder.iterdir()).read_bytes()
    assert b"train" in stored  # the vocabulary is there
    assert b"Quuxcorp" not in stored and b"Widget" not in stored
