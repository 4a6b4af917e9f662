"""What termslint writes: never the user's documents, and its own files only whole.

A linter that runs in pre-commit hooks must never touch the files it checks
(not even their mtime: build tools and editors watch it). The files it does
write (reports, baselines, bundles) go through `termslint.files.write_atomic`:
a failure at any point leaves the previous file as it was and no temporary
file behind, and the new file gets ordinary permissions.
"""
from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import STEPS, Run, commit_file, git

from termslint.errors import TermslintError
from termslint.files import write_atomic

Termslint = Callable[..., Run]


def snapshot(root: Path, skip: tuple[str, ...] = ()) -> dict[str, tuple[bytes, int, int]]:
    """Every file under root, .git included: bytes, mtime and mode."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not rel.startswith(skip):
            st = path.stat()
            out[rel] = (path.read_bytes(), st.st_mtime_ns, stat.S_IMODE(st.st_mode))
    return out


# ---------------------------------------------------------------- the user's files are never touched


def test_no_command_touches_the_users_files(termslint: Termslint, git_repo: Path) -> None:
    steps = sorted(STEPS.glob("*.md"))
    commit_file(git_repo, "legal/terms.md", steps[0].read_text(encoding="utf-8"), "terms")
    commit_file(git_repo, ".termslint.yaml", "paths: [legal]\nrules:\n  TL403: warning\n", "config")
    (git_repo / "legal/terms.md").write_text(steps[1].read_text(encoding="utf-8"), encoding="utf-8")  # uncommitted
    (git_repo / "legal/crlf.md").write_bytes(steps[2].read_bytes().replace(b"\n", b"\r\n"))
    (git_repo / "legal/bom.md").write_bytes(b"\xef\xbb\xbf" + steps[3].read_bytes())
    (git_repo / "legal/no-final-newline.md").write_bytes(steps[4].read_bytes().rstrip(b"\n"))
    for doc in (git_repo / "legal").iterdir():
        doc.chmod(0o444)  # read-only documents are checked like any other
    git(git_repo, "add", "legal/crlf.md")
    (git_repo / "reports").mkdir()
    before = snapshot(git_repo, skip=("reports/",))

    commands = [
        ["check", "--output", "reports/r.json", "--output", "reports/r.sarif", "--summary", "reports/s.md"],
        ["check", "--base", "HEAD", "--format", "github"],
        ["check", "--staged", "legal/crlf.md"],
        ["baseline", "-o", "reports/baseline.json"],
        ["check", "--baseline", "reports/baseline.json"],
        ["explain", "legal/terms.md#10.4"], ["explain", "--base", "HEAD"], ["explain", "TL101"],
        ["parse", "legal/bom.md"], ["parse", "legal/crlf.md", "--format", "text"],
        ["init", "--paths", "legal"],  # .termslint.yaml exists: kept; the other two are new
    ]
    for args in commands:
        run = termslint(*args, cwd=git_repo)
        assert run.code in (0, 1), f"{args}: {run.err}"
    after = snapshot(git_repo, skip=("reports/",))

    changed = sorted(rel for rel in before if after.get(rel) != before[rel])
    assert changed == [], f"termslint modified {changed}"
    assert sorted(set(after) - set(before)) == [".github/workflows/termslint.yml", ".pre-commit-config.yaml"]
    assert sorted(p.name for p in (git_repo / "reports").iterdir()) == [
        "baseline.json", "r.json", "r.sarif", "s.md"]  # and no temporary file left beside them


# ---------------------------------------------------------------- atomic writes


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def old_report(tmp_path: Path) -> Path:
    path = tmp_path / "report.json"
    path.write_text('{"old": true}\n', encoding="utf-8")
    return path


def test_a_failed_rename_leaves_the_old_file(monkeypatch: pytest.MonkeyPatch, old_report: Path) -> None:
    def refuse(src: str, dst: str) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(TermslintError, match=r"cannot write .*report\.json"):
        write_atomic(old_report, '{"new": true}\n')
    assert old_report.read_text(encoding="utf-8") == '{"old": true}\n'
    assert leftovers(old_report.parent) == []


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()],
                         ids=["disk full", "interrupted"])
def test_a_failure_mid_write_leaves_the_old_file(monkeypatch: pytest.MonkeyPatch, old_report: Path,
                                                 failure: BaseException) -> None:
    written: list[str] = []

    def fail_after_writing(fd: int) -> None:
        written.extend(p.name for p in old_report.parent.iterdir() if p.name.endswith(".tmp"))
        raise failure

    monkeypatch.setattr(os, "fsync", fail_after_writing)
    expected = TermslintError if isinstance(failure, OSError) else KeyboardInterrupt
    with pytest.raises(expected):
        write_atomic(old_report, '{"new": true}\n' * 10_000)
    assert written, "the data should have gone to a temporary file first"
    assert old_report.read_text(encoding="utf-8") == '{"old": true}\n'
    assert leftovers(old_report.parent) == []


def test_an_unwritable_folder_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Root ignores folder permissions, so the refusal is simulated where mkstemp meets it.
    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(TermslintError, match=r"cannot write .*out\.sarif: Permission denied"):
        write_atomic(tmp_path / "out.sarif", "{}")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_keeps_its_file(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "baseline.json").write_text("old\n", encoding="utf-8")
    folder.chmod(0o555)
    try:
        with pytest.raises(TermslintError, match="cannot write"):
            write_atomic(folder / "baseline.json", "new\n")
        assert (folder / "baseline.json").read_text(encoding="utf-8") == "old\n"
        assert leftovers(folder) == []
    finally:
        folder.chmod(0o755)


def test_written_files_get_ordinary_permissions(tmp_path: Path) -> None:
    # mkstemp creates 0600 files; a report other users or CI steps read must not keep that.
    old_umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.sarif", "{}")
        assert stat.S_IMODE((tmp_path / "new.sarif").stat().st_mode) == 0o644
        existing = tmp_path / "baseline.json"
        existing.write_text("old", encoding="utf-8")
        existing.chmod(0o640)
        write_atomic(existing, "new")
        assert stat.S_IMODE(existing.stat().st_mode) == 0o640 and existing.read_text(encoding="utf-8") == "new"
    finally:
        os.umask(old_umask)


def test_bytes_and_text_are_written_exactly(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.txt", "line one\nligne deux — ünïcode\n")
    assert (tmp_path / "a.txt").read_bytes() == "line one\nligne deux — ünïcode\n".encode("utf-8")  # no \r\n
    write_atomic(tmp_path / "b.tar.gz", b"\x1f\x8b\x00\xff")
    assert (tmp_path / "b.tar.gz").read_bytes() == b"\x1f\x8b\x00\xff"


def test_a_failed_check_leaves_the_previous_report(termslint: Termslint, tmp_path: Path) -> None:
    """An input error ends the run before any report is written: yesterday's report stays whole."""
    (tmp_path / "terms.md").write_text("# Terms\n\n**1.1 Use.** We may use usage data.\n", encoding="utf-8")
    (tmp_path / "broken.md").write_bytes(b"\xff\xfe# T\x00\n\x00")
    (tmp_path / "report.sarif").write_text("yesterday\n", encoding="utf-8")
    run = termslint("check", "terms.md", "broken.md", "-o", "report.sarif", cwd=tmp_path)
    assert run.code == 2 and run.out == "", run.err
    assert (tmp_path / "report.sarif").read_text(encoding="utf-8") == "yesterday\n"
    assert leftovers(tmp_path) == []
