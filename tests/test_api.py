"""The library API: the pipeline joined end to end, configuration that reaches it, and parallel runs."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from conftest import STEPS, run_termslint
from termslint.api import CheckOptions, check
from termslint.config import Config, config_from_mapping
from termslint.errors import LimitError, TermslintError
from termslint.report import render

COPILOT = """\
# Example Terms

## 1. Your Content

"Customer Content" means the files and messages you upload to the Services.

## 2. Our use

We may collect Customer Content and feed it to our copilots to make them smarter.
"""


def codes(result: object) -> set[str]:
    return {f.code for f in result.findings}  # type: ignore[attr-defined]


def test_a_user_vocabulary_reaches_the_policies(tmp_path: Path) -> None:
    doc = tmp_path / "terms.md"
    doc.write_text(COPILOT, encoding="utf-8")
    opts = CheckOptions(paths=[str(doc)], jobs=1, cwd=tmp_path)
    assert "TL101" not in codes(check(opts, Config()))
    cfg = config_from_mapping(
        {"vocabulary": {"purposes": {"ai_training": {"patterns": [r"\bfeed (?:it|them) to our copilots?\b"]}}}},
        tmp_path / ".termslint.yaml")
    result = check(opts, cfg)
    assert [f.clause for f in result.findings if f.code == "TL101"] == ["2"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_references_to_other_documents_of_the_run_resolve(tmp_path: Path, jobs: int) -> None:
    (tmp_path / "terms.md").write_text(
        "# Terms\n\n## 1. Privacy\n\nWe handle personal data as our Privacy Policy and our Cookie Policy say.\n",
        encoding="utf-8")
    (tmp_path / "privacy-policy.md").write_text("# Privacy Policy\n\n## 1. Scope\n\nThis policy applies.\n",
                                                encoding="utf-8")
    # In parallel the two files are parsed in different processes: the names cross between them.
    result = check(CheckOptions(paths=[str(tmp_path)], jobs=jobs, cwd=tmp_path, keep_documents=True), Config())
    refs = {r.target: r.resolved for c in result.documents["terms.md"].clauses for r in c.refs
            if r.kind == "document"}
    assert refs == {"Privacy Policy": True, "Cookie Policy": False}


def test_clause_limit_is_a_clear_error(tmp_path: Path) -> None:
    doc = tmp_path / "terms.md"
    doc.write_text("# T\n\n" + "".join(f"## {i}. Part {i}\n\nText {i}.\n\n" for i in range(1, 40)), encoding="utf-8")
    cfg = Config(max_clauses=10)
    with pytest.raises(LimitError, match=r"terms\.md: 39 clauses, more than the limit of 10; .*max_clauses"):
        check(CheckOptions(paths=[str(doc)], jobs=1, cwd=tmp_path), cfg)


def test_parallel_and_serial_runs_give_identical_reports(tmp_path: Path) -> None:
    for step in sorted(STEPS.glob("*.md")):
        shutil.copy(step, tmp_path / step.name)
    outputs = {}
    for jobs in (1, 2):
        result = check(CheckOptions(paths=[str(tmp_path)], jobs=jobs, cwd=tmp_path), Config())
        outputs[jobs] = {fmt: render(fmt, result.findings, result.rules, result.summary, tool_version="t")
                         for fmt in ("json", "sarif")}
    assert outputs[1] == outputs[2]
    assert '"TL101"' in outputs[1]["json"]


def test_cli_jobs_flag_gives_byte_identical_json(tmp_path: Path) -> None:
    for step in sorted(STEPS.glob("*.md")):
        shutil.copy(step, tmp_path / step.name)
    one = run_termslint("check", "--jobs", "1", "--format", "json", ".", cwd=tmp_path)
    two = run_termslint("check", "--jobs", "2", "--format", "json", ".", cwd=tmp_path)
    assert one.code == two.code == 1
    assert one.out == two.out


def test_the_published_rule_docs_are_generated_from_metadata() -> None:
    """docs/rules.md is `termslint rules --format markdown`; regenerate it when a rule changes."""
    from conftest import REPO

    generated = run_termslint("rules", "--format", "markdown", cwd=REPO)
    assert generated.code == 0
    assert (REPO / "docs" / "rules.md").read_text(encoding="utf-8") == generated.out


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_a_parallel_run_reports_the_first_bad_file_as_a_serial_run_does(tmp_path: Path, jobs: int) -> None:
    # The largest file, a bad one, is a worker's whole share: that worker
    # fails at once, while another is still parsing its way to 3-terms.md.
    # The error must still be the first bad path's, as in a serial run.
    for i in range(5):
        (tmp_path / f"{i}-terms.md").write_text("# T\n\n## 1. A\n\n" + "Text. " * (i * 300 + 1), encoding="utf-8")
    (tmp_path / "3-terms.md").write_bytes(b"# T\n\n\xff\xfe bad bytes\n")
    (tmp_path / "5-terms.md").write_bytes(b"\x00\x01\x02 binary" * 20_000)
    with pytest.raises(TermslintError) as error:
        check(CheckOptions(paths=[str(tmp_path)], jobs=jobs, cwd=tmp_path), Config())
    assert "3-terms.md" in str(error.value)


def test_shares_of_work_are_balanced_by_size() -> None:
    from termslint.batch import Job, split_by_size

    jobs = [Job(f"f{i}.md", Path("."), order=i, head_bytes=b"x" * size)
            for i, size in enumerate([900, 100, 100, 500, 400, 100, 300, 200])]
    shares = split_by_size(jobs, 2)
    assert sorted(i for s in shares for i in s) == list(range(8))  # every file once
    loads = [sum(len(jobs[i].head_bytes or b"") for i in s) for s in shares]
    assert loads == [1300, 1300]
    assert all(s == sorted(s) for s in shares)  # each share keeps the run's order
    assert split_by_size(jobs[:1], 4) == [[0]]  # no empty shares


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(),
                    reason="the dying worker is planted by monkeypatching, which only fork passes on")
def test_a_worker_that_dies_ends_the_run_with_an_error_not_a_hang(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from termslint import batch

    for i in range(4):
        (tmp_path / f"{i}.md").write_text(f"# T{i}\n\n## 1. A\n\nText.\n", encoding="utf-8")
    real_prepare = batch.Batch.prepare

    def prepare_or_die(self: batch.Batch) -> list:  # type: ignore[type-arg]
        if any(job.path.endswith("0.md") for job in self.jobs):
            os._exit(9)  # as the kernel's out-of-memory killer would end it
        return real_prepare(self)

    monkeypatch.setattr(batch.Batch, "prepare", prepare_or_die)
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="worker process ended unexpectedly"):
        check(CheckOptions(paths=[str(tmp_path)], jobs=2, cwd=tmp_path), Config())
    # The other worker must see the run end at once, not wait out the 10 s
    # grace period before it is killed (it once kept its own pipe open).
    assert time.monotonic() - started < 8
