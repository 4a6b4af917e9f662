"""GitHub Actions: workflow-command annotations and the job summary.

    ::error file=legal/terms.md,line=69,endLine=69,title=TL101 ai-training-without-opt-out::...

GitHub shows at most 10 annotations of each type per step and 50 per job,
and drops the rest silently. So the budget goes first to new findings in
clauses the pull request changed (what the reviewer is looking at), then to
other new findings, then to existing ones; one notice says how many were left
out and where the full report is. Waived findings are not annotated.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from termslint import __version__
from termslint.model import SEVERITIES, Finding, RuleDoc
from termslint.report import Summary, ordered, plural, severity_of
from termslint.report.markdown import build_report

PER_TYPE_LIMIT = 10  # annotations of one type (error, warning, notice) per step
PER_JOB_LIMIT = 50  # annotations of all types per job
# GitHub's cap for one step's summary is 1 MiB; stay clear of it.
JOB_SUMMARY_LIMIT = 1_000_000

_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """A command's message: `%` first, so that the escapes it adds stay intact."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value, where `:` and `,` would end the value early."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(
    findings: Sequence[Finding],
    rules: Mapping[str, RuleDoc],
    summary: Summary,
    *,
    sources: Mapping[str, Sequence[str]] | None = None,
    color: bool = False,
    change_account: str | None = None,
    tool_version: str = __version__,
    per_type: int = PER_TYPE_LIMIT,
    per_job: int = PER_JOB_LIMIT,
) -> str:
    candidates = [f for f in findings if not f.waived]
    chosen = select_annotations(candidates, per_type=per_type, per_job=per_job)
    left_out = len(candidates) - len(chosen)
    if left_out:
        # The notice about the rest is an annotation too: make room for it.
        chosen = select_annotations(
            candidates, per_type=per_type, per_job=per_job, reserve_notice=True
        )
        left_out = len(candidates) - len(chosen)
    lines = [annotation(f, rules.get(f.code)) for f in ordered(chosen)]
    if left_out:
        lines.append(
            "::notice::"
            + escape_data(
                f"termslint: {plural(left_out, 'more finding')} not annotated (GitHub shows"
                f" at most {per_type} annotations of each type per step and {per_job} per job);"
                f" all {len(candidates)} are listed in the job summary and the SARIF report."
            )
        )
    return "".join(line + "\n" for line in lines)


def annotation_priority(finding: Finding) -> int:
    """0: new in a changed clause, 1: other new, 2: existing."""
    if finding.status == "existing":
        return 2
    return 0 if finding.changed else 1


def select_annotations(
    findings: Sequence[Finding],
    *,
    per_type: int = PER_TYPE_LIMIT,
    per_job: int = PER_JOB_LIMIT,
    reserve_notice: bool = False,
) -> list[Finding]:
    """The findings to annotate, within GitHub's per-type and per-job limits:
    by priority, then severity, then report order."""
    room = {"error": per_type, "warning": per_type, "notice": per_type}
    total = per_job
    if reserve_notice:
        room["notice"] -= 1
        total -= 1
    chosen: list[Finding] = []
    # Within a priority, errors first: they are what fails the check, and the
    # job's limit is shared by all types. Stable, so report order breaks ties.
    by_priority = sorted(
        ordered(findings), key=lambda f: (annotation_priority(f), SEVERITIES.index(severity_of(f)))
    )
    for f in by_priority:
        kind = _COMMANDS[severity_of(f)]
        if room[kind] > 0 and total > 0:
            room[kind] -= 1
            total -= 1
            chosen.append(f)
    return chosen


def annotation(finding: Finding, rule: RuleDoc | None) -> str:
    span = finding.span
    start = max(span.start_line, 1)
    props = [f"file={escape_property(finding.path)}", f"line={start}"]
    props.append(f"endLine={max(span.end_line, start)}")
    # GitHub honours columns only on a single-line annotation.
    if span.start_col is not None and span.end_col is not None and span.end_line <= start:
        props.append(f"col={max(span.start_col, 1)}")
        props.append(f"endColumn={max(span.end_col, span.start_col, 1)}")
    title = f"{finding.code} {finding.name}".strip()
    if finding.clause:
        title += f" (clause {finding.clause})"
    props.append(f"title={escape_property(title)}")
    message = finding.message
    if finding.status == "existing":
        message += "\n(Existing: already present at the base revision.)"
    if rule is not None and rule.fix.strip():
        message += "\nFix: " + rule.fix.strip()
    return f"::{_COMMANDS[severity_of(finding)]} {','.join(props)}::{escape_data(message)}"


def render_job_summary(
    findings: Sequence[Finding],
    rules: Mapping[str, RuleDoc],
    summary: Summary,
    change_account: str | None,
    *,
    limit: int = JOB_SUMMARY_LIMIT,
) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY: the verdict, a table of findings,
    the waived ones with their reasons, and what changed; under `limit` bytes."""
    return build_report(
        findings,
        rules,
        summary,
        change_account,
        details=False,
        marker=False,
        limit=limit,
        measure=lambda s: len(s.encode("utf-8")),
        cap_name=f"{limit:,} bytes",
    )
