"""GitHub Actions output: workflow-command escaping, the annotation budget,
and the job summary's size cap. Findings are built by hand."""
from __future__ import annotations

import pytest

from termslint.model import Evidence, Finding, RuleDoc, Span
from termslint.report import Summary, render
from termslint.report import github as github_report
from termslint.report.github import (
    annotation,
    escape_data,
    escape_property,
    render_job_summary,
    select_annotations,
)

FIX = RuleDoc(
    code="TL101", name="ai-training-without-opt-out", title="AI training without an opt-out",
    description="d", severity="error", why="w", fix="Add an opt-out.", example="e",
)  # fmt: skip


def finding(
    line: int,
    *,
    severity: str = "error",
    status: str = "new",
    changed: bool = False,
    path: str = "legal/terms.md",
    code: str = "TL101",
    waived: bool = False,
    message: str | None = None,
) -> Finding:
    return Finding(
        code=code,
        name="ai-training-without-opt-out",
        severity=severity,
        message=message or f"{severity} {status}{' changed' if changed else ''} at {line}",
        path=path,
        clause=f"{line}",
        span=Span(line, line),
        status=status,
        changed=changed,
        waived=waived,
        waiver_reason="ok" if waived else None,
    )


def github(findings: list[Finding], *, per_type: int | None = None) -> str:
    summary = Summary.of(findings, files=1, clauses=100)
    if per_type is None:  # through the dispatcher, as the CLI calls it
        return render("github", findings, {}, summary, tool_version="1.0")
    return github_report.render(findings, {}, summary, per_type=per_type)


# ---------------------------------------------------------------- escaping


def test_data_and_property_escaping() -> None:
    assert escape_data("50%\r\nnext: a, b") == "50%25%0D%0Anext: a, b"
    assert escape_property("50%\r\nnext: a, b") == "50%25%0D%0Anext%3A a%2C b"
    # % goes first, so an escape already in the text is not decoded by GitHub.
    assert escape_data("%0A") == "%250A"


def test_annotation_escapes_properties_and_message() -> None:
    f = Finding(
        code="TL101",
        name="ai-training-without-opt-out",
        severity="error",
        message="100% of your data: audio, video,\nand chat — 训练",
        path="legal/dpa, v2: draft.md",
        clause="10.4",
        span=Span(12, 12, 5, 20),
        evidence=[Evidence("purpose:ai_training", "train", Span(12, 12, 5, 9))],
        changed=True,
    )
    assert annotation(f, FIX) == (
        "::error file=legal/dpa%2C v2%3A draft.md,line=12,endLine=12,col=5,endColumn=20,"
        "title=TL101 ai-training-without-opt-out (clause 10.4)"
        "::100%25 of your data: audio, video,%0Aand chat — 训练%0AFix: Add an opt-out."
    )


def test_annotation_kinds_lines_and_existing_note() -> None:
    notice = finding(0, severity="info")  # line 0 is not a place GitHub can show
    assert annotation(notice, None) == (
        "::notice file=legal/terms.md,line=1,endLine=1,"
        "title=TL101 ai-training-without-opt-out (clause 0)::info new at 0"
    )
    existing = finding(7, severity="warning", status="existing")
    assert annotation(existing, None) == (
        "::warning file=legal/terms.md,line=7,endLine=7,"
        "title=TL101 ai-training-without-opt-out (clause 7)"
        "::warning existing at 7%0A(Existing: already present at the base revision.)"
    )
    # Columns only on a single-line span.
    multi = Finding(code="TL1", name="n", severity="error", message="m", path="p.md",
                    clause=None, span=Span(3, 5, 2, 9))  # fmt: skip
    assert annotation(multi, None) == "::error file=p.md,line=3,endLine=5,title=TL1 n::m"


def test_every_output_line_is_one_command() -> None:
    findings = [finding(i, message=f"line {i}\nsecond\r\nthird") for i in range(1, 4)]
    out = github(findings)
    assert out.count("\n") == 3 and out.endswith("\n")
    assert all(line.startswith("::error ") for line in out.splitlines())
    assert "\r" not in out


def test_no_findings_gives_no_output() -> None:
    assert github([]) == ""


# ---------------------------------------------------------------- budget


def test_ten_errors_per_step_changed_clauses_first() -> None:
    changed = [finding(100 + i, changed=True) for i in range(15)]
    unchanged = [finding(i) for i in range(1, 6)]
    existing = [finding(200 + i, status="existing") for i in range(5)]
    out = github(existing + unchanged + changed)
    lines = out.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == 10
    # All ten are new findings in changed clauses, the first ten in report order.
    assert [e.rsplit("::", 1)[1] for e in errors] == [
        f"error new changed at {100 + i}" for i in range(10)
    ]
    assert lines[-1] == (
        "::notice::termslint: 15 more findings not annotated (GitHub shows at most 10 "
        "annotations of each type per step and 50 per job); all 25 are listed in the job "
        "summary and the SARIF report."
    )
    assert len(lines) == 11


def test_new_findings_come_before_existing_ones() -> None:
    new = [finding(50 + i) for i in range(4)]
    existing = [finding(i, status="existing") for i in range(1, 10)]
    out = github(existing + new)
    errors = [line for line in out.splitlines() if line.startswith("::error ")]
    assert len(errors) == 10
    assert sum("error new at" in e for e in errors) == 4
    # Output stays in report order (path, line), whatever the priority was.
    lines_annotated = [int(e.split("line=")[1].split(",")[0]) for e in errors]
    assert lines_annotated == sorted(lines_annotated)


def test_each_type_has_its_own_ten_and_the_notice_takes_a_notice_slot() -> None:
    findings = [finding(i, severity=sev) for sev in ("error", "warning", "info") for i in range(1, 16)]
    lines = github(findings).splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("::warning ") for line in lines) == 10
    # Nine notices for findings and the one that says 16 were left out: ten notices.
    assert sum(line.startswith("::notice ") for line in lines) == 9
    assert lines[-1].startswith("::notice::termslint: 16 more findings not annotated")
    assert len(lines) == 30


def test_fifty_per_job_across_types() -> None:
    findings = [finding(i, severity=sev) for sev in ("error", "warning", "info") for i in range(1, 40)]
    # A step could be given a larger per-type allowance; the job's 50 still binds.
    lines = github(findings, per_type=40).splitlines()
    assert len(lines) == 50
    assert lines[-1].startswith("::notice::termslint: 68 more findings not annotated")
    assert sum(line.startswith("::error ") for line in lines) == 39
    assert sum(line.startswith("::warning ") for line in lines) == 10


def test_waived_findings_are_not_annotated_nor_counted() -> None:
    findings = [finding(i, waived=True) for i in range(1, 30)] + [finding(40)]
    out = github(findings)
    assert out == (
        "::error file=legal/terms.md,line=40,endLine=40,"
        "title=TL101 ai-training-without-opt-out (clause 40)::error new at 40\n"
    )


def test_selection_without_overflow_needs_no_notice() -> None:
    findings = [finding(i, severity="info") for i in range(1, 11)]
    assert len(select_annotations(findings)) == 10
    out = github(findings)
    assert out.count("::notice ") == 10 and "::notice::" not in out


# ---------------------------------------------------------------- job summary


def test_job_summary_empty_run() -> None:
    out = render_job_summary([], {}, Summary(files=2, clauses=30), None)
    assert out == (
        "## ✅ termslint: all checks passed\n\n"
        "Checked 2 files (30 clauses). All checks passed.\n"
    )


def test_job_summary_escapes_table_cells() -> None:
    f = finding(3, message="a | b\nc\r\nd <!-- hidden --> \\| e")
    out = render_job_summary([f], {}, Summary.of([f], files=1, clauses=3), "Clause 3 *changed*.")
    assert out == (
        "## ❌ termslint: failed (1 error)\n\n"
        "Checked 1 file (3 clauses). Found 1 problem (1 error) in 1 file.\n\n"
        "| Code | Severity | Clause | Location | Message | Status |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| TL101 | error | 3 | legal/terms.md:3 | a \\| b<br>c<br>d &lt;!-- hidden --&gt; "
        "\\\\\\| e | new |\n\n"
        "### What changed\n\n"
        "Clause 3 *changed*.\n"
    )


def test_job_summary_lists_waived_findings_with_reasons() -> None:
    f = finding(3, waived=True)
    out = render_job_summary([f], {}, Summary.of([f], files=1, clauses=3), None)
    assert out == (
        "## ✅ termslint: all checks passed\n\n"
        "Checked 1 file (3 clauses). All checks passed; 1 waived.\n\n"
        "### Waived (1)\n\n"
        "- **TL101** ai-training-without-opt-out at legal/terms.md:3, clause 3: ok\n"
    )


@pytest.mark.parametrize("limit", [1_500, 4_000, 20_000])
def test_job_summary_stays_under_its_limit_and_says_what_it_cut(limit: int) -> None:
    findings = [finding(i, message="é" * 80) for i in range(1, 400)]
    findings += [finding(1000 + i, waived=True) for i in range(100)]
    account = "\n".join(f"- clause {i} changed" for i in range(2000))
    summary = Summary.of(findings, files=1, clauses=2000)
    out = render_job_summary(findings, {}, summary, account, limit=limit)
    assert len(out.encode("utf-8")) <= limit
    assert "more findings not shown: this report is capped at" in out
    assert "### What changed" in out and "### Waived (100)" in out
    assert out.startswith("## ❌ termslint: failed (399 errors)\n")


def test_job_summary_default_limit_is_under_one_mebibyte() -> None:
    findings = [finding(i, message="x" * 300) for i in range(1, 5001)]
    out = render_job_summary(findings, {}, Summary.of(findings, files=1, clauses=5000), None)
    assert 900_000 < len(out.encode("utf-8")) <= 1_000_000 < 1024 * 1024
    assert out.rstrip().endswith("or open the SARIF report for the full list._")
