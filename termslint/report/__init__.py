"""The output layer: one small module per format, picked by name.

Reporters take only findings, rule docs and a summary (plus, where a format
can use them, the raw source lines for code frames and the plain-language
account of what changed). They never parse documents or evaluate policies,
and the same input always gives the same bytes.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, cast

from termslint.errors import TermslintError
from termslint.model import SEVERITIES, Finding, RuleDoc, Span

# The formats `--format` accepts, in the order help and errors list them.
FORMATS = ("text", "json", "sarif", "github", "junit", "markdown")


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts for a whole run.

    `errors`, `warnings` and `infos` count findings that are not waived;
    `waived` counts the waived ones; `new` and `existing` split the findings
    that are not waived by whether they already existed at the base.
    """

    files: int  # documents checked
    clauses: int  # clauses in those documents
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    waived: int = 0
    new: int = 0
    existing: int = 0
    # The paths checked, so that a format which lists every file (JUnit) can
    # show clean files too; empty when the caller does not know them.
    paths: tuple[str, ...] = ()
    # Whether the run fails, as the CLI decided from --fail-on and the
    # baseline; None lets reporters apply the default (a new error fails).
    failed: bool | None = None

    @classmethod
    def of(
        cls,
        findings: Iterable[Finding],
        *,
        files: int,
        clauses: int,
        paths: Iterable[str] = (),
        failed: bool | None = None,
    ) -> Summary:
        counts = {s: 0 for s in SEVERITIES}
        waived = new = existing = 0
        for f in findings:
            if f.waived:
                waived += 1
                continue
            # An unknown severity counts as a warning, the same way every
            # reporter displays it.
            counts[f.severity if f.severity in counts else "warning"] += 1
            if f.status == "existing":
                existing += 1
            else:
                new += 1
        return cls(
            files=files,
            clauses=clauses,
            errors=counts["error"],
            warnings=counts["warning"],
            infos=counts["info"],
            waived=waived,
            new=new,
            existing=existing,
            paths=tuple(sorted(set(paths))),
            failed=failed,
        )

    @property
    def problems(self) -> int:
        return self.errors + self.warnings + self.infos

    def as_dict(self) -> dict[str, int]:
        """The `summary` object of the findings JSON, in a fixed key order."""
        return {
            "files": self.files,
            "clauses": self.clauses,
            "errors": self.errors,
            "warnings": self.warnings,
            "infos": self.infos,
            "waived": self.waived,
            "new": self.new,
            "existing": self.existing,
        }


class _Reporter(Protocol):
    def __call__(
        self,
        findings: Sequence[Finding],
        rules: Mapping[str, RuleDoc],
        summary: Summary,
        *,
        sources: Mapping[str, Sequence[str]] | None = None,
        color: bool = False,
        change_account: str | None = None,
        tool_version: str = ...,
    ) -> str: ...


def render(
    format_name: str,
    findings: Sequence[Finding],
    rules: Mapping[str, RuleDoc],
    summary: Summary,
    *,
    sources: Mapping[str, Sequence[str]] | None = None,
    color: bool = False,
    change_account: str | None = None,
    tool_version: str,
) -> str:
    """Render findings in the named format.

    Reporter modules are imported only when asked for, so `--format text`
    never pays for the XML or SARIF code.
    """
    if format_name not in FORMATS:
        raise TermslintError(
            f"unknown report format {format_name!r}",
            f"use one of: {', '.join(FORMATS)}",
        )
    module = importlib.import_module(f"termslint.report.{format_name}")
    reporter = cast(_Reporter, module.render)
    return reporter(
        findings,
        rules,
        summary,
        sources=sources,
        color=color,
        change_account=change_account,
        tool_version=tool_version,
    )


# Helpers every format shares. They decide order and verdict, never layout or
# escaping: each format keeps its own escaping, as conftest's outputters do.


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Findings by path, line, code; the rest of the key only breaks ties, so
    that the same findings in any input order give the same bytes.

    The key covers every field a reporter prints: two findings that tie on
    all of it print the same, so their order cannot show.
    """
    return sorted(findings, key=_total_key)


def _span_key(span: Span) -> tuple[int, int, int, int]:
    # -1 for a missing column, so that "no column" and column 0 never tie.
    return (
        span.start_line,
        span.end_line,
        -1 if span.start_col is None else span.start_col,
        -1 if span.end_col is None else span.end_col,
    )


def _total_key(f: Finding) -> tuple[object, ...]:
    return (
        *f.sort_key(),
        f.clause is not None,  # sort_key reads a missing clause as "": keep null and "" apart
        _span_key(f.span),
        f.message,
        f.fingerprint,
        f.severity,
        f.name,
        f.status,
        f.waived,
        f.waiver_reason is not None,
        f.waiver_reason or "",
        f.changed,
        tuple((e.concept, e.text, _span_key(e.span)) for e in f.evidence),
    )


def severity_of(finding: Finding) -> str:
    """The finding's severity, with anything unexpected shown as a warning
    rather than crashing a report or hiding the finding."""
    return finding.severity if finding.severity in SEVERITIES else "warning"


def run_failed(findings: Iterable[Finding], summary: Summary) -> bool:
    """Whether the run fails: the CLI's decision when it gave one, else the
    default policy (a new error that is not waived fails)."""
    if summary.failed is not None:
        return summary.failed
    return any(
        not f.waived and f.status != "existing" and severity_of(f) == "error"
        for f in findings
    )


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def severity_counts(summary: Summary) -> str:
    """"1 error, 2 warnings": the non-zero counts, most severe first."""
    parts = []
    if summary.errors:
        parts.append(plural(summary.errors, "error"))
    if summary.warnings:
        parts.append(plural(summary.warnings, "warning"))
    if summary.infos:
        # "info" is uncountable: "2 info" reads better than "2 infos".
        parts.append(plural(summary.infos, "info", "info"))
    return ", ".join(parts)


def summary_line(summary: Summary, files_with_problems: int) -> str:
    """"Found 3 problems (1 error, 2 warnings) in 2 files; 1 waived." """
    waived = f"{summary.waived} waived" if summary.waived else ""
    if not summary.problems:
        return f"All checks passed; {waived}." if waived else "All checks passed."
    line = (
        f"Found {plural(summary.problems, 'problem')} ({severity_counts(summary)})"
        f" in {plural(files_with_problems, 'file')}"
    )
    # Without findings that predate the base every finding is new, and
    # saying so would be noise.
    if summary.existing:
        line += f"; {summary.new} new, {summary.existing} existing"
    if waived:
        line += f"; {waived}"
    return line + "."
