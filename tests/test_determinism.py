"""Determinism: the same documents give the same bytes, run after run, serial or parallel.

CI diffs reports, code scanning matches SARIF alerts across runs, and a
baseline is only useful if a second run finds exactly what the first one
recorded. So every report format must be byte-identical across two runs, a
serial run (`--jobs 1`) and a parallel one (`--jobs 2`), and each run gets
another PYTHONHASHSEED so that no output leans on set or dict-of-set order.
Findings are ordered by path, line, code.
"""
from __future__ import annotations

import json
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import STEPS, Run, commit_file, git

Termslint = Callable[..., Run]

# Report formats written by one run through --output, beside text on stdout.
OUTPUTS = {"json": "report.json", "sarif": "report.sarif", "junit": "report.xml", "markdown": "report.md"}

# Pieces for generated documents, written for this test.
SENTENCES = [
    "Acme may use Customer Content to train and improve its artificial intelligence models.",
    "Acme may use usage data for any purpose, including machine learning.",
    "You grant Acme a perpetual, irrevocable, worldwide, royalty-free, sublicensable and transferable "
    "licence to host, copy and modify Customer Content.",
    "We will not use audio, video or chat content to train AI models without your consent.",
    "You can turn off the use of your content for model training in Settings.",
    "We may share personal data with our partners for marketing.",
    "You pay the price shown at checkout, as described in Section 2.1.",
    "This Section survives termination, subject to Section 99.9.",
    "Orders are accepted when we send a confirmation email.",
]
DEFINITION = '"Customer Content" means the files, messages and recordings you upload.'
WAIVER = '<!-- termslint-disable TL101 reason="approved by legal, ticket LEGAL-7" -->'


def generated_document(seed: int) -> str:
    """A numbered terms document whose clauses are drawn from SENTENCES, the same for the same seed."""
    rnd = random.Random(seed)
    lines = [f"# Generated Terms {seed}", "", "Last updated: 1 March 2024", "", "## 1. Definitions", "",
             f"**1.1** {DEFINITION}", ""]
    for section in range(2, 2 + rnd.randint(3, 8)):
        lines += [f"## {section}. Section {section}", ""]
        for sub in range(1, 1 + rnd.randint(1, 5)):
            if rnd.random() < 0.1:
                lines.append(WAIVER)
            body = " ".join(rnd.sample(SENTENCES, rnd.randint(1, 3)))
            lines += [f"**{section}.{sub} Clause.** {body}", ""]
            if rnd.random() < 0.3:
                lines += [f"(a) {rnd.choice(SENTENCES)}", f"(b) {rnd.choice(SENTENCES)}", ""]
    text = "\n".join(lines)
    return text.replace("\n", "\r\n") if seed % 3 == 0 else text  # some CRLF files too


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The history steps plus generated documents, in nested folders, with names that sort unlike their order."""
    root = tmp_path / "docs"
    for i, step in enumerate(sorted(STEPS.glob("*.md"))):
        target = root / ("legal" if i % 2 else "legal/archive") / step.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(step, target)
    for seed in range(1, 9):
        path = root / "generated" / f"{'zyx'[seed % 3]}-terms-{seed}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(generated_document(seed).encode("utf-8"))
    return root


def run_all_formats(termslint: Termslint, cwd: Path, tag: str, *args: str, seed: str) -> dict[str, str]:
    """One `check` run: text on stdout, every other format through --output. Returns format -> text."""
    out_dir = cwd.parent / f"out-{tag}"
    out_dir.mkdir()
    outputs = [f"--output={fmt}:{out_dir / name}" for fmt, name in OUTPUTS.items()]
    run = termslint("check", ".", "--fail-on", "info", *outputs, *args, cwd=cwd, env={"PYTHONHASHSEED": seed})
    assert run.code == 1, run.err  # the corpus has findings
    assert run.err == ""
    reports = {fmt: (out_dir / name).read_text(encoding="utf-8") for fmt, name in OUTPUTS.items()}
    reports["text"] = run.out
    return reports


def check_order(reports: dict[str, str]) -> None:
    """Findings by path, line, code in JSON; SARIF and text list them in the same order."""
    findings = json.loads(reports["json"])["findings"]
    assert len(findings) > 10, "the corpus should give plenty of findings"
    keys = [(f["path"], f["span"]["start_line"], f["code"]) for f in findings]
    assert keys == sorted(keys)
    assert len({f["path"] for f in findings}) >= 5
    results = json.loads(reports["sarif"])["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == [f["code"] for f in findings]
    headers = re.findall(r"^(\S+):(\d+):\d+: (\S+) \[", reports["text"], re.M)
    assert [(p, int(line), code) for p, line, code in headers] == [
        (f["path"], max(f["span"]["start_line"], 1), f["code"]) for f in findings]


def test_reports_are_byte_identical_across_runs_and_jobs(termslint: Termslint, corpus: Path) -> None:
    first = run_all_formats(termslint, corpus, "first", "--jobs", "2", seed="1")
    second = run_all_formats(termslint, corpus, "second", "--jobs", "2", seed="2")
    serial = run_all_formats(termslint, corpus, "serial", "--jobs", "1", seed="3")
    check_order(first)
    for fmt in first:
        assert second[fmt] == first[fmt], f"{fmt}: two parallel runs differ"
        assert serial[fmt] == first[fmt], f"{fmt}: serial and parallel runs differ"


def test_baseline_and_changes_are_deterministic(termslint: Termslint, git_repo: Path) -> None:
    """Alignment against a base and the baseline file are the same, serial or parallel."""
    for seed in range(1, 5):
        commit_file(git_repo, f"legal/terms-{seed}.md", generated_document(seed), f"terms {seed}")
    for seed in range(1, 5):  # every document changes: clauses inserted, moved, edited
        (git_repo / f"legal/terms-{seed}.md").write_text(generated_document(seed + 10), encoding="utf-8")
    runs = []
    for jobs, hashseed in (("2", "4"), ("1", "5"), ("2", "6")):
        run = termslint("check", "--base", "HEAD", "legal", "--format", "json", "--fail-on", "info",
                        "--jobs", jobs, cwd=git_repo, env={"PYTHONHASHSEED": hashseed})
        assert run.code == 1 and run.err == "", run.err
        # The plain-language change account is written in the workers: the same in any of them.
        account = termslint("check", "--base", "HEAD", "legal", "--format", "markdown", "--jobs", jobs,
                            cwd=git_repo, env={"PYTHONHASHSEED": hashseed})
        assert account.code == 1 and "legal/terms-1.md" in account.out, account.err
        # `baseline` has no --jobs: it runs with the default, under another hash seed each time.
        baseline = termslint("baseline", "legal", "-o", f"../baseline-{jobs}-{hashseed}.json",
                             cwd=git_repo, env={"PYTHONHASHSEED": hashseed})
        assert baseline.code == 0, baseline.err
        runs.append((run.out, account.out, (git_repo.parent / f"baseline-{jobs}-{hashseed}.json").read_bytes()))
    assert runs[1] == runs[0] and runs[2] == runs[0]
    statuses = {f["status"] for f in json.loads(runs[0][0])["findings"]}
    assert statuses == {"new", "existing"}, statuses  # the base really was compared
    git(git_repo, "status", "--porcelain")  # still a healthy repository
