"""The library API: the pipeline joined end to end, configuration that reaches it, and parallel runs."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import STEPS, run_termslint
from termslint.api import CheckOptions, check
from termslint.config import Config, config_from_mapping
from termslint.errors import LimitError
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


def test_references_to_other_documents_of_the_run_resolve(tmp_path: Path) -> None:
    (tmp_path / "terms.md").write_text(
        "# Terms\n\n## 1. Privacy\n\nWe handle personal data as our Privacy Policy and our Cookie Policy say.\n",
        encoding="utf-8")
    (tmp_path / "privacy-policy.md").write_text("# Privacy Policy\n\n## 1. Scope\n\nThis policy applies.\n",
                                                encoding="utf-8")
    result = check(CheckOptions(paths=[str(tmp_path)], jobs=1, cwd=tmp_path), Config())
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
