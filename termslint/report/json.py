"""The findings JSON of DESIGN.md, described by `termslint/schemas/findings.schema.json`.

Keys come in a fixed order (not sorted) so the output reads top-down, and
the text is pure ASCII (`\\u` escapes) so it survives any stream encoding
byte for byte.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from termslint import __version__
from termslint.model import Finding, RuleDoc
from termslint.report import Summary, ordered

# The version of this output format, bumped on an incompatible change; it is
# independent of the policy input's schema version.
SCHEMA_VERSION = 1


def findings_document(
    findings: Sequence[Finding], summary: Summary, *, tool_version: str = __version__
) -> dict[str, Any]:
    return {
        "termslint_version": tool_version,
        "schema_version": SCHEMA_VERSION,
        "findings": [f.as_dict() for f in ordered(findings)],
        "summary": summary.as_dict(),
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
    doc = findings_document(findings, summary, tool_version=tool_version)
    return json.dumps(doc, indent=2, ensure_ascii=True) + "\n"
