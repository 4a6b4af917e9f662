"""The evaluation step: the policy input in, findings out.

`build_input` and `documents_data` produce exactly what policies see as
`input` and `data.termslint.documents`; `evaluate_document` runs one engine
query and `results_to_findings` turns the rule results into `Finding`s with a
line span, a severity and a fingerprint that survives renumbering.
"""
from __future__ import annotations

import hashlib
import re
from typing import Any, Iterable, Mapping, Sequence

from termslint.engine import Engine, RuleResult
from termslint.errors import ConfigError
from termslint.model import SEVERITIES, Changes, Document, DocumentOutline, Evidence, Finding, RuleDoc, Span

SCHEMA_VERSION = 1
KIND_SEVERITY = {"deny": "error", "warn": "warning", "info": "info"}
CHANGED_STATUSES = ("added", "modified")

# A legal number at the start of a clause's text ("10.4", "5(b)", "(iv)",
# "Section 3.") is dropped before fingerprinting, so renumbering does not
# change the fingerprint.
_LEADING_NUMBER = re.compile(
    r"^(?:(?:section|clause|article|§)\s*)?"
    r"(?:\d+(?:\.\d+)*[a-z]?(?:\([a-z0-9]{1,4}\))*|\([a-z0-9]{1,4}\)(?:\([a-z0-9]{1,4}\))*|[a-z][.)])"
    r"[.):]?\s+"
)
_SPACE = re.compile(r"\s+")


def build_input(doc: Document, changes: Changes | None = None) -> dict[str, Any]:
    """The policy input for one document (what `termslint parse --format json` prints)."""
    doc_input: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    doc_input.update(doc.as_dict())
    if changes is not None:
        doc_input["changes"] = changes.as_dict()
    return doc_input


def documents_data(outlines: Iterable[DocumentOutline]) -> dict[str, Any]:
    """`data.termslint.documents`: every document of the run by path, for cross-document rules."""
    return {o.path: {"title": o.title, "metadata": o.metadata, "clauses": o.clause_ids}
            for o in sorted(outlines, key=lambda o: o.path)}


def evaluate_document(
    engine: Engine,
    doc_input: Mapping[str, Any],
    rules: Mapping[str, RuleDoc],
    *,
    severity_overrides: Mapping[str, str] | None = None,
) -> list[Finding]:
    """One query of `data.termslint.rules` for this document, as sorted findings."""
    return results_to_findings(
        engine.evaluate(doc_input), doc_input, rules, severity_overrides=severity_overrides
    )


def findings_for_document(
    results: Iterable[RuleResult],
    doc: Document,
    rules: Mapping[str, RuleDoc],
    severity_overrides: Mapping[str, str] | None = None,
    changes: Changes | None = None,
) -> list[Finding]:
    """`results_to_findings` for a parsed Document, without serialising its facts again."""
    doc_input: dict[str, Any] = {
        "document": {"path": doc.path},
        "clauses": [{"id": c.id, "text": c.text, "span": c.span.as_dict()} for c in doc.clauses],
    }
    if changes is not None:
        doc_input["changes"] = {
            "clauses": [{"status": c.status, "head_id": c.head_id} for c in changes.clauses]
        }
    return results_to_findings(results, doc_input, rules, severity_overrides=severity_overrides)


# Cross-references are renumbered along with the clauses they point at
# ("Section 10.3" becomes "Section 10.4" when a section is inserted above), so
# their numbers are masked too; other numbers ("30 days") are content.
_REFERENCE_NUMBER = re.compile(
    r"\b(sections?|clauses?|articles?|paragraphs?|§)\s*\d+(?:\.\d+)*[a-z]?(?:\([a-z0-9]{1,4}\))*"
)


def normalise_text(text: str) -> str:
    """Lowercase, whitespace collapsed, leading legal number and reference numbers removed."""
    text = _SPACE.sub(" ", text.strip().lower())
    text = _LEADING_NUMBER.sub("", text, count=1)
    return _REFERENCE_NUMBER.sub(r"\1 #", text)


def fingerprint(code: str, path: str, content: str) -> str:
    digest = hashlib.sha256("\x1f".join((code, path, normalise_text(content))).encode("utf-8"))
    return digest.hexdigest()[:16]


_THREE_WORDS = re.compile(r"\S+ \S+ \S")
_DIGIT = re.compile(r"\d")
_REFERENCE_WORDS = ("section", "sections", "clause", "clauses", "article", "articles", "paragraph",
                    "paragraphs", "§")


class ClauseFingerprints:
    """`fingerprint(code, path, text + "\x1f" + evidence)` for many findings on the same clauses.

    A rule that flags each cross-reference of a long clause gives thousands of
    findings on it, and normalising the whole clause text again for each one
    was quadratic (a 2 MB clause took more than ten minutes). Here a clause's
    text is normalised, and hashed after the code and path, once; each finding
    adds only its evidence. The result is byte-identical to `fingerprint()`,
    which baselines and SARIF alerts store: the shortcut is taken only where
    it provably gives the same string, and the definition is used otherwise.

    Why the parts can be normalised apart: whitespace collapses within each
    part, and the separator is itself whitespace; the leading number is
    decided within the first two words of the clause; a reference number
    (`section 5`) can only span the separator when the clause ends with such
    a word and the evidence starts with a digit.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._heads: dict[str, str | None] = {}  # clause id -> its normalised text, None: no shortcut
        self._states: dict[tuple[str, str], Any] = {}  # (code, clause id) -> sha256 after the text

    def of(self, code: str, clause_id: str, text: str, evidence: Sequence[str]) -> str:
        suffix = "\x1f" + "\x1f".join(sorted(evidence)) if evidence else ""
        head = self._head(clause_id, text)
        if head is None:
            return fingerprint(code, self.path, text + suffix)
        tail = _SPACE.sub(" ", suffix.lower()).rstrip() if suffix else ""  # " ..." or ""
        if tail and _DIGIT.match(tail, 1) and head.endswith(_REFERENCE_WORDS):
            return fingerprint(code, self.path, text + suffix)  # "section" | "5": a reference across the parts
        state = self._states.get((code, clause_id))
        if state is None:
            state = hashlib.sha256("\x1f".join((code, self.path, head)).encode("utf-8"))
            self._states[(code, clause_id)] = state
        digest = state.copy()
        digest.update(_REFERENCE_NUMBER.sub(r"\1 #", tail).encode("utf-8"))
        return digest.hexdigest()[:16]

    def _head(self, clause_id: str, text: str) -> str | None:
        if clause_id not in self._heads:
            collapsed = _SPACE.sub(" ", text.lower()).strip()
            head: str | None = None
            # Three words: the leading-number pattern reads at most two words
            # and the whitespace after them, so the rest cannot change it.
            if _THREE_WORDS.match(collapsed):
                head = _REFERENCE_NUMBER.sub(r"\1 #", _LEADING_NUMBER.sub("", collapsed, count=1))
            self._heads[clause_id] = head
        return self._heads[clause_id]


OFF = "off"  # a severity override that turns a rule off


def check_severity_overrides(overrides: Mapping[str, str]) -> None:
    for key, severity in overrides.items():
        if severity not in SEVERITIES and severity != OFF:
            raise ConfigError(
                f"severity {severity!r} for {key} is not one of {', '.join((*SEVERITIES, OFF))}",
                "fix the severity setting in config",
            )


def results_to_findings(
    results: Iterable[RuleResult],
    doc_input: Mapping[str, Any],
    rules: Mapping[str, RuleDoc],
    *,
    severity_overrides: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Turn one document's rule results into findings sorted by path, line and code.

    - code: the result's `code`, else the rule package's METADATA code, else
      the package's last segment (a user rule without METADATA).
    - severity: `severity_overrides` (by code or name; "off" drops the
      finding) over the result's own
      `severity` (a rule that escalates, like TL303) over the METADATA
      severity over the kind (`deny` error, `warn` warning, `info` info).
    - span: the clause's span, narrowed to the lines of the first evidence
      span; line 1 when the finding has no clause.
    - fingerprint: rule, document path and the clause's normalised text (or
      the message, for a finding without a clause), never the clause number.
    """
    overrides = dict(severity_overrides or {})
    check_severity_overrides(overrides)
    document = doc_input.get("document") or {}
    path = str(document.get("path") or "")
    clauses = {c["id"]: c for c in doc_input.get("clauses") or [] if isinstance(c, dict)}
    by_package = {doc.package: doc for doc in rules.values()}
    changed = _changed_clauses(doc_input)

    findings: list[Finding] = []
    seen: set[tuple[str, str | None, str, int]] = set()
    fingerprints = ClauseFingerprints(path)
    for result in results:
        value = result.value if isinstance(result.value, dict) else {"msg": result.value}
        package_doc = by_package.get(result.package)
        code = str(value.get("code") or (package_doc.code if package_doc else _last(result.package)))
        doc = rules.get(code)
        name = doc.name if doc is not None else _last(result.package).replace("_", "-")
        severity = _severity(code, name, value, doc, result.kind, overrides)
        if severity == OFF:
            continue
        message = str(value.get("msg") or value.get("message") or (doc.title if doc else code))
        clause_id = value.get("clause")
        clause = clauses.get(clause_id) if isinstance(clause_id, str) else None
        evidence = _evidence(value.get("evidence"))
        span = _span(clause, evidence)
        if clause is not None and isinstance(clause_id, str):
            # Two findings of one rule on one clause differ by what they point at.
            print_ = fingerprints.of(code, clause_id, str(clause.get("text", "")), [e.text for e in evidence])
        else:
            print_ = fingerprint(code, path, message)
        finding = Finding(
            code=code,
            name=name,
            severity=severity,
            message=message,
            path=path,
            clause=clause_id if isinstance(clause_id, str) else None,
            span=span,
            evidence=evidence,
            fingerprint=print_,
            changed=isinstance(clause_id, str) and clause_id in changed,
        )
        key = (finding.code, finding.clause, finding.message, finding.span.start_line)
        if key in seen:  # the same finding from `deny` and `warn`, or from two rules of one code
            continue
        seen.add(key)
        findings.append(finding)
    findings.sort(key=Finding.sort_key)
    return findings


def _last(package: str) -> str:
    return package.rsplit(".", 1)[-1]


def _severity(
    code: str,
    name: str,
    value: Mapping[str, Any],
    doc: RuleDoc | None,
    kind: str,
    overrides: Mapping[str, str],
) -> str:
    if code in overrides:
        return overrides[code]
    if name in overrides:
        return overrides[name]
    own = value.get("severity")
    if isinstance(own, str) and own in SEVERITIES:
        return own
    if doc is not None:
        return doc.severity
    return KIND_SEVERITY.get(kind, "error")


def _span_of(raw: Any) -> Span | None:
    if not isinstance(raw, dict):
        return None
    start, end = raw.get("start_line"), raw.get("end_line", raw.get("start_line"))
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
        return None
    start_col, end_col = raw.get("start_col"), raw.get("end_col")
    if isinstance(start_col, int) and isinstance(end_col, int):
        return Span(start, max(start, end), start_col, end_col)
    return Span(start, max(start, end))


def _evidence(raw: Any) -> list[Evidence]:
    """Evidence objects as the rule gave them; entries without a span are dropped."""
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        return []
    out = []
    for item in raw:
        span = _span_of(item.get("span")) if isinstance(item, dict) else None
        if span is None:
            continue
        assert isinstance(item, dict)
        out.append(Evidence(str(item.get("concept", "")), str(item.get("text", "")), span))
    return out


def _span(clause: Mapping[str, Any] | None, evidence: Sequence[Evidence]) -> Span:
    if evidence:
        first = evidence[0].span
        return Span(first.start_line, first.end_line)
    if clause is not None:
        span = _span_of(clause.get("span"))
        if span is not None:
            return Span(span.start_line, span.end_line)
    return Span(1, 1)


def _changed_clauses(doc_input: Mapping[str, Any]) -> set[str]:
    changes = doc_input.get("changes")
    if not isinstance(changes, dict):
        return set()
    return {
        c["head_id"]
        for c in changes.get("clauses") or []
        if isinstance(c, dict) and c.get("status") in CHANGED_STATUSES and c.get("head_id")
    }
