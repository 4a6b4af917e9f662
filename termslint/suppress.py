"""Inline waivers and baselines: which findings are accepted, and why.

A waiver is `<!-- termslint-disable TL101 reason="..." -->` before a clause,
or `termslint-disable-file` anywhere. Waived findings stay in every report
with their reason and never fail the check. A waiver that waives nothing is
itself reported (TL406), so stale waivers do not pile up.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from termslint import __version__
from termslint.errors import InputError
from termslint.model import Document, Finding, Suppression

UNUSED_WAIVER = ("TL406", "unused-waiver")
# A waiver must never hide the report that the waiver itself is broken.
UNWAIVABLE = {"TL405", "TL406"}


def _covers(s: Suppression, code: str) -> bool:
    return not s.codes or code in s.codes or "all" in (c.lower() for c in s.codes)


def apply_waivers(doc: Document, findings: list[Finding]) -> list[Finding]:
    """Mark waived findings in place and return TL406 findings for unused waivers."""
    by_clause = {c.id: c.suppressions for c in doc.clauses if c.suppressions}
    for f in findings:
        if f.code in UNWAIVABLE:
            continue
        candidates = list(by_clause.get(f.clause or "", [])) + list(doc.suppressions)
        for s in candidates:
            if _covers(s, f.code):
                f.waived, f.waiver_reason = True, s.reason
                s.used = True
                break
    unused: list[Finding] = []
    waivers: list[tuple[str | None, Suppression]] = [(cid, s) for cid, ss in by_clause.items() for s in ss]
    waivers += [(None, s) for s in doc.suppressions]
    for cid, s in waivers:
        if s.used:
            continue
        codes = ", ".join(s.codes) if s.codes else "all rules"
        where = f"clause {cid}" if cid else "this file"
        unused.append(Finding(
            code=UNUSED_WAIVER[0], name=UNUSED_WAIVER[1], severity="info",
            message=f"waiver for {codes} on {where} waives nothing; remove it",
            path=doc.path, clause=cid, span=s.span,
            fingerprint=f"waiver:{doc.path}:{cid}:{codes}",
        ))
    return unused


def read_baseline(path: str | Path) -> set[str]:
    """The fingerprints of findings accepted when the baseline was written."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return {str(item["fingerprint"]) for item in data["findings"]}
    except FileNotFoundError:
        raise InputError(f"{path}: baseline not found", "create it with 'termslint baseline -o FILE'") from None
    except (OSError, ValueError, KeyError, TypeError):
        raise InputError(f"{path}: not a termslint baseline",
                         "recreate it with 'termslint baseline -o FILE'") from None


def baseline_text(findings: list[Finding]) -> str:
    """A baseline: the findings accepted today, keyed by renumbering-proof fingerprints."""
    items: list[dict[str, Any]] = [
        {"fingerprint": f.fingerprint, "code": f.code, "path": f.path, "clause": f.clause}
        for f in sorted(findings, key=Finding.sort_key)
        if not f.waived
    ]
    return json.dumps({"termslint_version": __version__, "findings": items}, indent=2) + "\n"
