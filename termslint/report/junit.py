"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure).

One testsuite per document and one testcase per finding: errors and warnings
fail, info passes with the message in system-out, and a waived finding is
skipped with its reason. A document without findings gets one passing
testcase, so that a clean run still shows what was checked. No timestamps
or durations: the same findings give the same bytes.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby

from termslint import __version__
from termslint.model import Finding, RuleDoc
from termslint.report import Summary, ordered, severity_of

# Characters XML 1.0 cannot carry at all, even as references; a message or
# evidence that holds one must still give a well-formed document.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    text = _INVALID_XML.sub("\ufffd", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(text: str) -> str:
    """An attribute value in double quotes; line breaks and tabs become
    references because parsers normalise literal ones to spaces."""
    return (
        xml_text(text)
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def render(
    findings: Sequence[Finding],
    rules: Mapping[str, RuleDoc],
    summary: Summary,
    *,
    sources: Mapping[str, Sequence[str]] | None = None,
    color: bool = False,
    change_account: str | None = None,
    tool_version: str = __version__,
) -> str:
    by_path = {path: list(fs) for path, fs in groupby(ordered(findings), key=lambda f: f.path)}
    paths = sorted(set(summary.paths) | set(by_path))
    if not paths:
        # Some CI systems treat a report without testcases as broken.
        paths = ["termslint"]
    suites = [_suite(path, by_path.get(path, []), rules) for path in paths]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="termslint" tests="{sum(s.tests for s in suites)}"'
        f' failures="{sum(s.failures for s in suites)}"'
        f' errors="0" skipped="{sum(s.skipped for s in suites)}">',
    ]
    for suite in suites:
        out.extend(suite.lines)
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


@dataclass(frozen=True, slots=True)
class _Suite:
    tests: int
    failures: int
    skipped: int
    lines: list[str]


def _suite(path: str, findings: list[Finding], rules: Mapping[str, RuleDoc]) -> _Suite:
    """One document's testsuite."""
    cases: list[str] = []
    failures = skipped = 0
    for f in findings:
        line = max(f.span.start_line, 1)
        where = f"clause {f.clause}, line {line}" if f.clause else f"line {line}"
        attrs = (
            f'name="{xml_attr(f"{f.code} {f.name} ({where})")}" classname="{xml_attr(path)}"'
            f' file="{xml_attr(path)}" line="{line}"'
        )
        severity = severity_of(f)
        body = _body(f, rules.get(f.code))
        if f.waived:
            skipped += 1
            reason = f"waived: {f.waiver_reason}" if f.waiver_reason else "waived"
            inner = f'<skipped message="{xml_attr(reason)}"/>'
        elif severity in ("error", "warning"):
            failures += 1
            inner = (
                f'<failure message="{xml_attr(f.message)}" type="{severity}">'
                f"{xml_text(body)}</failure>"
            )
        else:
            inner = f"<system-out>{xml_text(body)}</system-out>"
        cases += [f"    <testcase {attrs}>", f"      {inner}", "    </testcase>"]
    if not findings:
        cases.append(
            f'    <testcase name="no findings" classname="{xml_attr(path)}"'
            f' file="{xml_attr(path)}"/>'
        )
    tests = max(len(findings), 1)
    head = (
        f'  <testsuite name="{xml_attr(path)}" tests="{tests}" failures="{failures}"'
        f' errors="0" skipped="{skipped}">'
    )
    return _Suite(tests, failures, skipped, [head, *cases, "  </testsuite>"])


def _body(f: Finding, rule: RuleDoc | None) -> str:
    lines = [f"{f.path}:{max(f.span.start_line, 1)}: {f.code} [{severity_of(f)}] {f.message}"]
    if f.status == "existing":
        lines.append("existing: already present at the base revision")
    for ev in f.evidence:
        lines.append(f'evidence: "{ev.text}" (line {ev.span.start_line})')
    if rule is not None and rule.fix.strip():
        lines.append(f"help: {rule.fix.strip()}")
    return "\n".join(lines)
