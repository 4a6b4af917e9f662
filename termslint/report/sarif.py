"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

Rule entries come from the rules' METADATA (one source of truth, as ruff
generates its SARIF rules from its rule docs). Results carry the finding's
fingerprint as a partial fingerprint, so alerts follow a clause through
renumbering instead of closing and reopening.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from termslint import __version__
from termslint.model import Evidence, Finding, RuleDoc, Span
from termslint.report import Summary, ordered, severity_of

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
# The project's home page. Keep in step with [project.urls] once pyproject has one.
INFORMATION_URI = "https://github.com/termslint/termslint"
FINGERPRINT_KEY = "termslintFingerprint/v1"
SRCROOT = "%SRCROOT%"

_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
# Rule families by the hundreds digit of the code (DESIGN.md, Rules); code
# scanning lets reviewers filter alerts by these tags.
_FAMILIES = {
    "1": "data-use-and-ai",
    "2": "licence-scope",
    "3": "changes-between-versions",
    "4": "structure",
    "5": "consumer-fairness",
}


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
    log = sarif_log(findings, rules, tool_version=tool_version)
    return json.dumps(log, indent=2, ensure_ascii=True) + "\n"


def sarif_log(
    findings: Sequence[Finding], rules: Mapping[str, RuleDoc], *, tool_version: str = __version__
) -> dict[str, Any]:
    descriptors = [_rule_descriptor(rules[code]) for code in sorted(rules)]
    # A finding from a rule without METADATA still needs a ruleIndex, so it
    # gets a minimal entry built from what the finding knows.
    known = set(rules)
    for f in ordered(findings):
        if f.code not in known:
            known.add(f.code)
            descriptors.append(_bare_descriptor(f))
    descriptors.sort(key=lambda d: str(d["id"]))
    index = {str(d["id"]): i for i, d in enumerate(descriptors)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "termslint",
                        "version": tool_version,
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                # Evidence columns count characters of the decoded text.
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index[f.code]) for f in ordered(findings)],
            }
        ],
    }


def _rule_descriptor(rule: RuleDoc) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.title.strip() or rule.name},
        "fullDescription": {"text": rule.description.strip() or rule.title.strip() or rule.name},
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
        "defaultConfiguration": {"level": _LEVELS.get(rule.severity, "warning")},
        "properties": {"tags": _tags(rule.code)},
    }


def _bare_descriptor(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.code,
        "name": finding.name,
        "shortDescription": {"text": finding.name or finding.code},
        "defaultConfiguration": {"level": _LEVELS[severity_of(finding)]},
        "properties": {"tags": _tags(finding.code)},
    }


def _tags(code: str) -> list[str]:
    family = _FAMILIES.get(code[2:3]) if code.startswith("TL") else None
    return ["legal-terms", family] if family else ["legal-terms"]


def _help_text(rule: RuleDoc) -> str:
    parts = [rule.why.strip()]
    if rule.fix.strip():
        parts.append("Fix: " + rule.fix.strip())
    if rule.example.strip():
        parts.append("Example:\n" + rule.example.strip())
    return "\n\n".join(p for p in parts if p) or rule.title or rule.code


def _help_markdown(rule: RuleDoc) -> str:
    parts = []
    if rule.why.strip():
        parts.append("**Why:** " + rule.why.strip())
    if rule.fix.strip():
        parts.append("**Fix:** " + rule.fix.strip())
    if rule.example.strip():
        example = rule.example.strip()
        # A fence longer than any backtick run inside, so an example that
        # itself shows a fenced block cannot close ours.
        longest = max((len(m) for m in re.findall(r"`+", example)), default=0)
        fence = "`" * max(3, longest + 1)
        parts.append(f"**Example:**\n\n{fence}markdown\n{example}\n{fence}")
    return "\n\n".join(parts) or rule.title or rule.code


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": _LEVELS[severity_of(finding)],
        "message": {"text": finding.message or finding.name or finding.code},
        "locations": [{"physicalLocation": _physical_location(finding.path, finding.span)}],
    }
    if finding.evidence:
        result["relatedLocations"] = [
            _related_location(i, finding.path, ev) for i, ev in enumerate(finding.evidence, 1)
        ]
    if finding.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    if finding.waived:
        suppression: dict[str, str] = {"kind": "inSource"}
        if finding.waiver_reason:
            suppression["justification"] = finding.waiver_reason
        result["suppressions"] = [suppression]
    result["properties"] = {
        "name": finding.name,
        "clause": finding.clause,
        "status": finding.status,
        "changed": finding.changed,
    }
    return result


def _related_location(index: int, path: str, evidence: Evidence) -> dict[str, Any]:
    return {
        "id": index,
        "physicalLocation": _physical_location(path, evidence.span),
        "message": {"text": f"{evidence.concept}: {evidence.text}"},
    }


def _physical_location(path: str, span: Span) -> dict[str, Any]:
    return {"artifactLocation": _artifact_location(path), "region": _region(span)}


def _artifact_location(path: str) -> dict[str, str]:
    """A relative path becomes a URI under %SRCROOT% (what code scanning maps
    to the repository root); an absolute one a file: URI."""
    posix = path.replace("\\", "/")
    # Only a drive with a root ("C:\\x") is an absolute Windows path; "a:b.md"
    # is a legal relative file name on POSIX (and "C:x" is drive-relative),
    # and as_uri() refuses both.
    if PureWindowsPath(path).is_absolute():
        return {"uri": PureWindowsPath(path).as_uri()}
    if posix.startswith("/"):
        return {"uri": PurePosixPath(posix).as_uri()}
    while posix.startswith("./"):
        posix = posix[2:]
    # Percent-encode what a URI cannot hold (spaces, non-ASCII) and ":",
    # which in a first segment would read as a scheme; keep the rest legible.
    return {"uri": quote(posix, safe="/!$&'()*+,;=@~"), "uriBaseId": SRCROOT}


def _region(span: Span) -> dict[str, int]:
    """SARIF lines and columns start at 1 and its endColumn is exclusive,
    while termslint's end_col is inclusive; a line 0 (a finding about the
    whole document) becomes line 1 rather than an invalid region."""
    start = max(span.start_line, 1)
    end = max(span.end_line, start)
    region = {"startLine": start, "endLine": end}
    if span.start_col is not None and span.end_col is not None:
        start_col = max(span.start_col, 1)
        end_col = max(span.end_col + 1, 1)
        if end == start:
            end_col = max(end_col, start_col)
        region["startColumn"] = start_col
        region["endColumn"] = end_col
    return region
